using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Tests.Transactions;

/// <summary>Databases, connections and assertions shared by the transaction tests.</summary>
internal static class TxFixture
{
    public static Keyword K(string name) => Keyword.Intern(name);

    public static object? Read(string text) => EdnReader.Read(text);

    /// <summary>An empty database with <paramref name="schema"/> transacted (and, for the file store, read back from disk).</summary>
    public static Database NewDb(string schema, SchemaFlexibility flexibility = SchemaFlexibility.Write, bool keepHistory = true, string? data = null) =>
        TestBackend.Build(new DatabaseConfig { SchemaFlexibility = flexibility, KeepHistory = keepHistory }, data is null ? [schema] : [schema, data]);

    /// <summary>A connection to a fresh database of the tests' backend whose initial transaction is <paramref name="schema"/>.</summary>
    public static Connection Connect(string schema, FunctionRegistry? functions = null, SchemaFlexibility flexibility = SchemaFlexibility.Write)
    {
        var config = new DatabaseConfig
        {
            SchemaFlexibility = flexibility,
            InitialTx = Read(schema),
            Functions = functions ?? new FunctionRegistry(),
        };
        return Database.CreateAndConnectAsync(TestBackend.Place(config)).GetAwaiter().GetResult();
    }

    /// <summary>Asserts that <paramref name="actual"/> equals the value of the EDN text <paramref name="expected"/>.</summary>
    public static void AssertEdn(string expected, object? actual) => Hike.Tests.Edn.EdnAssert.ValueEqual(Read(expected), actual);

    /// <summary>The entity as a pull of <c>[*]</c>.</summary>
    public static EdnMap? PullAll(Database db, object eid) => db.Pull("[*]", eid);

    /// <summary>All current datoms of the database in EAVT order as (e a v) triples.</summary>
    public static List<(long E, Keyword A, object V)> Eav(Database db) =>
        db.Datoms(IndexType.Eavt).Where(d => d.E < Ids.Tx0).Select(d => (d.E, d.A, d.V)).ToList();

    /// <summary>The values of <paramref name="attribute"/> on <paramref name="e"/>.</summary>
    public static List<object> Values(Database db, object e, string attribute) =>
        db.Datoms(IndexType.Eavt, e, K(attribute)).Select(d => d.V).ToList();

    /// <summary>
    /// Asserts that transacting <paramref name="tx"/> fails with <paramref name="code"/> and leaves the
    /// connection's database value as it was. Returns the error for further checks of its message.
    /// </summary>
    public static HikeException Rejects(Connection conn, object tx, string code)
    {
        var before = conn.Db;
        var datoms = AllDatoms(before);
        var error = Assert.ThrowsAny<HikeException>(() => conn.Transact(tx));
        Assert.True(code == error.Code, $"expected {code}, got {error.Code}: {error.Message}");
        Assert.Same(before, conn.Db);
        Assert.Equal(datoms, AllDatoms(conn.Db));
        Assert.Equal(before.MaxEid, conn.Db.MaxEid);
        Assert.Equal(before.MaxTx, conn.Db.MaxTx);
        return error;
    }

    private static List<Datom> AllDatoms(Database db) => (db.KeepsHistory ? db.History() : db).Datoms(IndexType.Eavt).ToList();

    /// <summary>As <see cref="Rejects(Connection, object, string)"/> for a database value.</summary>
    public static HikeException Rejects(Database db, object tx, string code)
    {
        var datoms = db.Datoms(IndexType.Eavt).ToList();
        var error = Assert.ThrowsAny<HikeException>(() => db.With(tx));
        Assert.True(code == error.Code, $"expected {code}, got {error.Code}: {error.Message}");
        Assert.Equal(datoms, db.Datoms(IndexType.Eavt).ToList());
        return error;
    }
}
