using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Query;

/// <summary>Databases and assertions shared by the query tests.</summary>
internal static class QueryFixture
{
    /// <summary>A schema-on-read database (as DataScript's <c>empty-db</c>) holding <paramref name="txData"/>.</summary>
    public static Database DbOf(string txData, string schema = "[]") => NewDb(schema, SchemaFlexibility.Read, data: txData);

    /// <summary>
    /// Asserts that <paramref name="query"/> over <paramref name="inputs"/> gives the EDN value
    /// <paramref name="expected"/>, on the databases as given and again on views that must answer the
    /// same: as of their last transaction, since none (all transactions after tx0), and their history when nothing was retracted.
    /// </summary>
    public static void AssertQ(string expected, string query, params object?[] inputs) =>
        OnViews(result => AssertEdn(expected, result), query, inputs);

    /// <summary>
    /// As <see cref="AssertQ"/> for a vector whose order is not defined (Datahike groups an aggregate's
    /// tuples by hash): the answer is a vector holding the elements of <paramref name="expected"/>, each as often.
    /// </summary>
    public static void AssertQUnordered(string expected, string query, params object?[] inputs) =>
        OnViews(result => Edn.EdnAssert.ValueEqual(Sorted((EdnVector)Read(expected)!), Sorted(Assert.IsType<EdnVector>(result))), query, inputs);

    private static EdnVector Sorted(EdnVector items) => EdnVector.Create([.. items.OrderBy(x => EdnPrinter.Print(x), StringComparer.Ordinal)]);

    private static void OnViews(Action<object?> assert, string query, object?[] inputs)
    {
        assert(Datalog.Q(query, inputs));
        foreach (var view in SameAnswerViews())
        {
            var viewed = inputs.Select(i => i is Database { IsHistory: false, AsOfTx: null, SinceTx: null, KeepsHistory: true } db ? view(db) : i).ToArray();
            if (viewed.SequenceEqual(inputs)) continue;
            assert(Datalog.Q(query, viewed));
        }
    }

    private static IEnumerable<Func<Database, Database>> SameAnswerViews()
    {
        yield return db => db.AsOf(db.MaxTx);
        yield return db => db.Since(Ids.Tx0);
        yield return db => db.History().Datoms(IndexType.Eavt).All(d => d.Added) ? db.History() : db;
    }

    /// <summary>Asserts that <paramref name="query"/> fails with <paramref name="code"/>; returns the message.</summary>
    public static string Fails(string code, string query, params object?[] inputs)
    {
        var e = Assert.Throws<HikeException>(() => Datalog.Q(query, inputs));
        Assert.Equal(code, e.Code);
        return e.Message;
    }
}
