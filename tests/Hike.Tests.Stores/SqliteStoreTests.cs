using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using Hike.Tests.Storage;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>The store contract on the <c>:jdbc</c> SQLite backend: a table in a SQLite file.</summary>
public sealed class SqliteStoreTests(ITestOutputHelper output) : KeyValueStoreContract(output)
{
    private readonly TempDirectory _dir = new();

    private protected override IKeyValueStore Open() => StoreBackends.Locate(Config(_dir.Path).Store).Open();

    internal static DatabaseConfig Config(string dir, string table = "hike") =>
        DatabaseConfig.Parse($"{{:store {{:backend :jdbc :dbtype \"sqlite\" :dbname \"{Path.Combine(dir, "hike.db")}\" :table \"{table}\"}}}}");

    public override void Dispose()
    {
        base.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Values_are_replaced_whole_so_the_store_says_it_cannot_append_in_place() => Assert.False(Store.AppendsInPlace);
}
