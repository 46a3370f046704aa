using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// Hike through its public API. The store kind is the only thing that differs between a file store
/// and the memory store the harness was checked on. All submitters share one connection, as all
/// threads of a Datahike process share its <c>conn</c>; the connection's writer may commit
/// concurrent transactions together.
/// </summary>
internal sealed class HikeTarget : IDurableTarget
{
    // Schema on read as in the shared workload, with :name indexed so that a point query on it uses AVET.
    private const string Schema = """
        [{:db/ident :name :db/index true}
         {:db/ident :alias :db/cardinality :db.cardinality/many}]
        """;

    private const string PointQuery = "[:find ?e . :in $ ?name :where [?e :name ?name]]";

    private readonly bool _fileStore;
    private readonly bool _keepHistory;

    public HikeTarget(bool fileStore, bool keepHistory)
    {
        _fileStore = fileStore;
        _keepHistory = keepHistory;
    }

    public string Name => "hike";

    public Task CreateAsync(string dir) => Database.CreateAsync(Config(dir, 256L << 20) with { InitialTx = Schema });

    public async Task<IDurableSession> OpenAsync(string dir, long cacheBytes) => new Session(await Database.ConnectAsync(Config(dir, cacheBytes)).ConfigureAwait(false));

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

    private DatabaseConfig Config(string dir, long cacheBytes) => new()
    {
        Store = _fileStore ? StoreConfig.File(dir) : StoreConfig.Memory(dir),
        KeepHistory = _keepHistory,
        SchemaFlexibility = SchemaFlexibility.Read,
        CacheBytes = cacheBytes,
    };

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
