using Hike.Api;
using Hike.Storage;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>The store contract on the <c>:jdbc</c> PostgreSQL backend, against a real server: a table per test.</summary>
public sealed class PostgresStoreTests(ITestOutputHelper output) : Hike.Tests.Storage.KeyValueStoreContract(output)
{
    private readonly DatabaseConfig _config = Servers.Postgres(Servers.UniqueTable());

    private protected override IKeyValueStore Open() => StoreBackends.Locate(_config.Store).Open();

    public override void Dispose()
    {
        using (var store = (SqlTableStore)Open())
        {
            foreach (var key in store.List("")) store.Delete(key);
            StoreBackends.Locate(_config.Store).Vacate(store, []);
        }
        base.Dispose();
    }
}
