using Hike.Api;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Testing;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Edn;

/// <summary>
/// Deeply nested input on a thread with a small stack: every recursive walk (reading, parsing
/// queries and pull patterns, transacting, comparing, encoding) either copes or fails with a
/// HikeException, never with a stack overflow that would kill the process.
/// </summary>
public sealed class DeepInputTests
{
    private static string Nested(string open, string inner, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    private static object? Vector(int depth)
    {
        object? value = 1L;
        for (int i = 0; i < depth; i++) value = EdnVector.Create(value);
        return value;
    }

    /// <summary>Runs <paramref name="work"/> on a small stack; it must succeed or fail with a HikeException, whose code is returned (null: success).</summary>
    private static string? OnSmallStack(Func<object?> work) => SmallStack.Run(() =>
    {
        try
        {
            work();
            return null;
        }
        catch (HikeException e)
        {
            return e.Code;
        }
    });

    /// <summary>
    /// Whether <paramref name="work"/> fits the small stack depends on how large the JIT made its
    /// frames (smaller once a method is optimised, so on what ran before): it must either succeed
    /// or fail with <paramref name="code"/>, never overflow.
    /// </summary>
    private static void CopesOrFails(string code, Func<object?> work) =>
        Assert.Contains(OnSmallStack(work), new[] { null, code });

    [Fact]
    public void Sets_and_maps_of_deep_values_hash_them_without_recursion()
    {
        var (one, two, alsoOne) = (Vector(900), EdnVector.Create(Vector(899)!, 2L), Vector(900));
        var set = SmallStack.Run(() => EdnSet.Create([one, two, alsoOne]));
        Assert.Equal(2, set.Count);
        Assert.True(SmallStack.Run(() => EdnMap.Of(one, 1L, two, 2L).ContainsKey(alsoOne)));
        // The reader itself stops where the stack would run out.
        Assert.Equal("edn/syntax", OnSmallStack(() => EdnReader.Read(Nested("[", "1", "]", 5000))));
    }

    [Fact]
    public void Clauses_nested_past_the_limit_are_a_parser_error()
    {
        var db = NewDb("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]", data: "[{:name \"a\"}]");
        string Query(int depth) => "[:find ?n :where " + Hike.Tests.Edn.DeepInputTests.NestedClause(depth) + "]";
        Assert.Single((EdnSet)Datalog.Q(Query(Hike.Query.Syntax.QueryParser.MaxClauseDepth), db)!);
        var error = Assert.Throws<HikeException>(() => Datalog.Q(Query(Hike.Query.Syntax.QueryParser.MaxClauseDepth + 1), db));
        Assert.Equal("parser/where", error.Code);
        Assert.Contains("nested too deeply", error.Message);
        var deep = EdnReader.Read(Query(900))!;
        Assert.Equal("parser/where", OnSmallStack(() => Datalog.Q(deep, db)));
    }

    internal static string NestedClause(int depth) => Nested("(and ", "[_ :name ?n]", ")", depth);

    [Fact]
    public void Subpatterns_nested_past_the_limit_are_a_pull_error()
    {
        var db = NewDb("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]",
            data: "[{:db/id 1 :name \"a\" :friend 1}]");
        string Pattern(int depth) => Nested("[:name {:friend ", "[:name]", "}]", depth);
        var pulled = db.Pull(Pattern(Hike.Pull.PullParser.MaxDepth), 1L);
        Assert.Equal("a", pulled![K("name")]);
        Assert.Equal("pull/syntax", Assert.Throws<HikeException>(() => db.Pull(Pattern(Hike.Pull.PullParser.MaxDepth + 1), 1L)).Code);
        var deep = EdnReader.Read(Pattern(450))!;
        Assert.Equal("pull/syntax", OnSmallStack(() => db.Pull(deep, 1L)));
    }

    [Fact]
    public void Entity_maps_nested_deeper_than_the_stack_allows_are_a_transaction_error()
    {
        var db = NewDb("[{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one} {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]");
        string tx = "[" + Nested("{:name \"x\" :friend ", "{:name \"last\"}", "}", 450) + "]";
        Assert.Equal(451L, Datalog.Q("[:find (count ?e) . :where [?e :name]]", db.DbWith(tx)));
        var deep = EdnReader.Read(tx);
        CopesOrFails("transact/syntax", () => db.DbWith(deep));
    }

    [Fact]
    public void Deep_values_compare_encode_and_decode_or_fail_cleanly_on_a_small_stack()
    {
        var a = Vector(ValueCodec.MaxDepth);
        var b = Vector(ValueCodec.MaxDepth);
        Assert.Equal(0, ValueOrder.Instance.Compare(a, b));
        var bytes = ValueCodec.Encode(a);
        CopesOrFails("value/too-deep", () => ValueOrder.Instance.Compare(a, b));
        CopesOrFails("transact/schema", () => ValueCodec.Encode(a));
        CopesOrFails("value/too-deep", () => ValueCodec.Decode(bytes, "key"));
        Assert.Null(OnSmallStack(() => ValueEquality.Instance.Equals(a, b) ? null : throw new InvalidOperationException("unequal")));
        Assert.Null(OnSmallStack(() => EdnPrinter.Print(a)));
    }
}
