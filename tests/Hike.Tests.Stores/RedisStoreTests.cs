using Hike.Api;
using Hike.Storage;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>The store contract on the <c>:redis</c> backend, against a real server: a key prefix per test.</summary>
public sealed class RedisStoreTests(ITestOutputHelper output) : Hike.Tests.Storage.KeyValueStoreContract(output)
{
    private readonly DatabaseConfig _config = Servers.Redis(Guid.NewGuid().ToString());

    private protected override IKeyValueStore Open() => StoreBackends.Locate(_config.Store).Open();

    public override void Dispose()
    {
        using (var store = Open())
        {
            foreach (var key in store.List("")) store.Delete(key);
        }
        base.Dispose();
    }

    [Fact]
    public void A_password_in_the_uri_is_neither_in_the_description_nor_in_the_printed_config()
    {
        var config = DatabaseConfig.Parse("{:store {:backend :redis :id \"x\" :uri \"redis://ann:hunter2@127.0.0.1:1/0\"}}");
        var location = StoreBackends.Locate(config.Store);

        Assert.Equal(":redis \"127.0.0.1:1/0\" id \"x\"", location.Description);
        Assert.DoesNotContain("hunter2", config.ToString(), StringComparison.Ordinal);
    }
}
