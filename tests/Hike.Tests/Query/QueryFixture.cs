using Hike.Api;
using Hike.Db;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Query;

/// <summary>Databases and assertions shared by the query tests.</summary>
internal static class QueryFixture
{
    /// <summary>A schema-on-read database (as DataScript's <c>empty-db</c>) holding <paramref name="txData"/>.</summary>
    public static Database DbOf(string txData, string schema = "[]") => NewDb(schema, SchemaFlexibility.Read).DbWith(txData);

    /// <summary>Asserts that <paramref name="query"/> over <paramref name="inputs"/> gives the EDN value <paramref name="expected"/>.</summary>
    public static void AssertQ(string expected, string query, params object?[] inputs) => AssertEdn(expected, Datalog.Q(query, inputs));

    /// <summary>Asserts that <paramref name="query"/> fails with <paramref name="code"/>; returns the message.</summary>
    public static string Fails(string code, string query, params object?[] inputs)
    {
        var e = Assert.Throws<HikeException>(() => Datalog.Q(query, inputs));
        Assert.Equal(code, e.Code);
        return e.Message;
    }
}
