using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Storage;

namespace Hike.Tests.Durability;

/// <summary>Databases over arbitrary stores, and the checks the durability tests share.</summary>
internal static class DurableFixture
{
    public const string CounterSchema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]";

    public static DatabaseConfig Config(long cacheBytes = 1 << 20) => new() { Store = StoreConfig.File("unused"), CacheBytes = cacheBytes };

    /// <summary>Creates a database in <paramref name="store"/>, connects to it and applies the config's initial transaction.</summary>
    public static Connection Create(IKeyValueStore store, DatabaseConfig? config = null)
    {
        var (db, created) = StoreDatabases.CreateIn(store, config ?? Config());
        var conn = new Connection(db, created);
        if (created.InitialTx is { } initial) conn.Transact(initial);
        return conn;
    }

    /// <summary>Opens the database in <paramref name="store"/> as a new process would.</summary>
    public static Connection Open(IKeyValueStore store, DatabaseConfig? config = null)
    {
        var (db, effective) = StoreDatabases.OpenIn(store, config ?? Config());
        return new Connection(db, effective);
    }

    /// <summary>The values of :n, in order.</summary>
    public static long[] Counters(Database db) => [.. ((System.Collections.IEnumerable)Datalog.Q("[:find [?n ...] :where [_ :n ?n]]", db)!).Cast<long>().Order()];

    /// <summary>Reads every datom of every index and view, so a damaged node anywhere would throw.</summary>
    public static void ReadEverything(Database db)
    {
        foreach (var index in new[] { IndexType.Eavt, IndexType.Aevt, IndexType.Avet })
        {
            _ = db.Datoms(index).Count();
            if (db.KeepsHistory) _ = db.History().Datoms(index).Count();
        }
        db.State.Eavt.CheckInvariants();
        db.State.Aevt.CheckInvariants();
        db.State.Avet.CheckInvariants();
    }

    public static Keyword K(string name) => Keyword.Intern(name);

    /// <summary>
    /// Flips a bit in the slot of a head file that holds its newest value (a slot is magic, 8 bytes;
    /// sequence number, 8; length, 4; checksum, 4; then the value), at <paramref name="at"/> in the slot.
    /// </summary>
    public static void DamageNewestHeadSlot(string headFile, int at)
    {
        var bytes = File.ReadAllBytes(headFile);
        int half = bytes.Length / 2;
        int newer = BitConverter.ToUInt64(bytes, half + 8) > BitConverter.ToUInt64(bytes, 8) ? half : 0;
        bytes[newer + at] ^= 0x04;
        File.WriteAllBytes(headFile, bytes);
    }

    /// <summary>The objects of a segment, in order, from its packs' indices.</summary>
    public static List<(long Offset, int Length)> SegmentObjects(IKeyValueStore store, string segment) =>
        [.. Hike.Index.Stored.Packs.Scan(store, segment).Packs.SelectMany(p => p.Objects)];
}
