using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// Hike through its public API, on the store a factory configures for each database's directory (a
/// file store in it, a memory store named after it, or a table, key prefix or bucket prefix on a
/// server): the store is the only thing that differs between backends. All submitters share one
/// connection, as all threads of a Datahike process share its <c>conn</c>; the connection's writer
/// may commit concurrent transactions together.
/// </summary>
internal sealed class HikeTarget : IDurableTarget
{
    // Schema on read as in the shared workload, with :name indexed so that a point query on it uses AVET.
    internal const string Schema = """
        [{:db/ident :name :db/index true}
         {:db/ident :alias :db/cardinality :db.cardinality/many}]
        """;

    internal const string PointQuery = "[:find ?e . :in $ ?name :where [?e :name ?name]]";

    private readonly Func<string, StoreConfig> _storeOf;
    private readonly bool _keepHistory;

    /// <param name="name">The side's name in result lines.</param>
    /// <param name="storeOf">The store of the database for a directory; the same config for the same directory every time.</param>
    /// <param name="keepHistory">Whether the databases keep history.</param>
    public HikeTarget(string name, Func<string, StoreConfig> storeOf, bool keepHistory)
    {
        Name = name;
        _storeOf = storeOf;
        _keepHistory = keepHistory;
    }

    public string Name { get; }

    public Task CreateAsync(string dir) => Database.CreateAsync(Config(dir, 256L << 20) with { InitialTx = Schema });

    public async Task<IDurableSession> OpenAsync(string dir, long cacheBytes) => SessionOf(await Database.ConnectAsync(Config(dir, cacheBytes)).ConfigureAwait(false));

    public async Task DeleteAsync(string dir)
    {
        // A released connection's store closes in the background and holds the folder's writer lock
        // until then; DeleteAsync does not wait for a store that is closing.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await Database.DeleteAsync(Config(dir, 256L << 20)).ConfigureAwait(false);
                return;
            }
            catch (HikeException e) when (e.Code == ErrorCodes.DbWriterLocked && attempt < 200)
            {
                await Task.Delay(25).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The benchmark's database config on <paramref name="store"/> (the schema is the initial transaction's).</summary>
    internal static DatabaseConfig ConfigOf(StoreConfig store, bool keepHistory, long cacheBytes) => new()
    {
        Store = store,
        KeepHistory = keepHistory,
        SchemaFlexibility = SchemaFlexibility.Read,
        CacheBytes = cacheBytes,
    };

    /// <summary>A session on <paramref name="conn"/>, which it releases when disposed.</summary>
    internal static IDurableSession SessionOf(Connection conn) => new Session(conn);

    private DatabaseConfig Config(string dir, long cacheBytes) => ConfigOf(_storeOf(dir), _keepHistory, cacheBytes);

    private sealed class Session(Connection conn) : IDurableSession
    {
        public void PrepareSubmitters(int count)
        {
        }

        public async Task TransactAsync(int submitter, DurablePerson[] people)
        {
            var maps = new object?[people.Length];
            for (int i = 0; i < maps.Length; i++) maps[i] = people[i].Map;
            await conn.TransactAsync(EdnVector.Create(maps)).ConfigureAwait(false);
        }

        public long? FindByName(string name) => (long?)conn.Db.Q(PointQuery, name);

        public long ScanEavt()
        {
            long n = 0;
            foreach (var d in conn.Db.Datoms(IndexType.Eavt)) n++;
            return n;
        }

        public long CountEntityDatoms()
        {
            long n = 0;
            foreach (var d in conn.Db.Datoms(IndexType.Eavt))
            {
                if (d.E < 536870912 && !d.A.FullName.StartsWith("db/", StringComparison.Ordinal)) n++;
            }
            return n;
        }

        public void Dispose() => conn.Release();
    }
}
