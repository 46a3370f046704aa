using Hike.Api;
using Hike.Index.Stored;
using Hike.Storage;
using Hike.Testing;

namespace Hike.Tests.Stores;

/// <summary>A database on a <c>:tiered</c> store: a file or memory front over SQLite or PostgreSQL.</summary>
public sealed class TieredDatabaseTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_file_front_over_sqlite_keeps_the_packs_and_the_back_stays_the_truth()
    {
        string front = Path.Combine(_dir.Path, "front");
        var back = $"{{:backend :jdbc :dbtype \"sqlite\" :dbname \"{Path.Combine(_dir.Path, "back.db")}\"}}";
        var tiered = Tiered($"{{:backend :file :path \"{front}\"}}", back);
        await Database.CreateAsync(tiered);
        using (var conn = await Database.ConnectAsync(tiered))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
            for (int i = 0; i < 10; i++) conn.Transact($"[{{:name \"n{i}\"}}]");
        }

        // The front holds the packs (write-through), never a head; the back alone is a whole database.
        using (var frontStore = new FileStore(front))
        {
            Assert.NotEmpty(frontStore.List(Packs.Prefix));
            Assert.Empty(frontStore.List("heads/"));
        }
        using (var direct = await Database.ConnectAsync($"{{:store {back}}}"))
        {
            Assert.Equal(10L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", direct.Db));
        }
        Assert.True(await Database.DeleteAsync(tiered));
    }

    [Fact]
    public async Task Warming_up_on_connect_fills_an_empty_front_with_every_segment_or_the_newest_commits()
    {
        string backDb = Path.Combine(_dir.Path, "warm.db");
        var back = $"{{:backend :jdbc :dbtype \"sqlite\" :dbname \"{backDb}\"}}";
        await Database.CreateAsync($"{{:store {back}}}");
        using (var conn = await Database.ConnectAsync($"{{:store {back}}}"))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
            for (int i = 0; i < 10; i++) conn.Transact($"[{{:name \"n{i}\"}}]");
        }
        List<string> segments;
        using (var store = StoreBackends.Locate(DatabaseConfig.Parse($"{{:store {back}}}").Store).Open()) segments = [.. store.List(Packs.Prefix).Order(StringComparer.Ordinal)];

        HashSet<string> Warmed(string warmUp, string name)
        {
            string front = Path.Combine(_dir.Path, name);
            // Connecting reads the head's commit and the index roots, no more: the rest of the front is the warm-up's.
            Database.ConnectAsync(Tiered($"{{:backend :file :path \"{front}\"}}", back, warmUp)).GetAwaiter().GetResult().Dispose();
            using var frontStore = new FileStore(front);
            return [.. frontStore.List(Packs.Prefix)];
        }

        Assert.Equal(segments, Warmed(":all", "all").Order(StringComparer.Ordinal));
        // One pack per commit here: the newest three commits' are the three newest segments.
        var three = Warmed("3", "three");
        Assert.Superset(segments.TakeLast(3).ToHashSet(), three);
        Assert.True(three.Count < segments.Count - 3, $"{three.Count} of {segments.Count} segments in the front");
        Assert.True(Warmed(":none", "none").Count < 3, "opening alone filled the front");
    }

    [Fact]
    public async Task A_memory_front_over_postgresql_serves_a_second_connection()
    {
        var tiered = Tiered("{:backend :mem :id \"cache\"}", $"{EdnOf(Servers.Postgres(Servers.UniqueTable()))}");
        await Database.CreateAsync(tiered);
        using (var conn = await Database.ConnectAsync(tiered))
        {
            conn.Transact("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:name \"Ada\"}]");
        }
        using var again = await Database.ConnectAsync(tiered);
        Assert.Equal("Ada", Datalog.Q("[:find ?n . :where [_ :name ?n]]", again.Db));
        again.Dispose();
        Assert.True(await Database.DeleteAsync(tiered));
    }

    [Fact]
    public void Its_keys_are_checked()
    {
        var missing = Assert.Throws<HikeException>(() => StoreBackends.Locate(DatabaseConfig.Parse("{:store {:backend :tiered :frontend-config {:backend :mem :id \"x\"}}}").Store));
        var policy = Assert.Throws<HikeException>(() => StoreBackends.Locate(Tiered("{:backend :mem :id \"x\"}", "{:backend :file :path \"b\"}", ":all").Store with
        {
            Options = Tiered("{:backend :mem :id \"x\"}", "{:backend :file :path \"b\"}").Store.Options.With(Hike.Edn.Keyword.Intern("read-policy"), Hike.Edn.Keyword.Intern("backend-only")),
        }));

        Assert.Equal(":store :backend-config is required for the :tiered backend", missing.Message);
        Assert.StartsWith(":store :read-policy must be :frontend-first", policy.Message, StringComparison.Ordinal);
    }

    private static DatabaseConfig Tiered(string front, string back, string warmUp = ":none") =>
        DatabaseConfig.Parse($"{{:store {{:backend :tiered :frontend-config {front} :backend-config {back} :write-policy :write-through :read-policy :frontend-first :warm-up {warmUp}}}}}");

    private static string EdnOf(DatabaseConfig config) => Hike.Edn.EdnPrinter.Print(config.Store.ToEdn());
}
