using Hike.Db;
using Hike.Edn;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;
using Hike.Versioning;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Db;

/// <summary>The secondary-index seam: what every kind of secondary index promises, and how database values and commit records hold them.</summary>
public sealed class SecondaryIndexTests
{
    public static TheoryData<string> KindNames() => [.. SecondaryIndexes.Kinds.Select(k => k.Name.ToString())];

    private static ISecondaryIndexKind Kind(string name) => SecondaryIndexes.KindNamed(Keyword.Intern(name.TrimStart(':')))!;

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Every_kind_starts_empty_leaves_a_transaction_of_other_attributes_alone_and_says_nothing_of_calls_it_cannot_read(string name)
    {
        var kind = Kind(name);
        var db = NewDb("[{:db/ident :title :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]", data: """[{:title "plain"}]""");
        var state = db.State;

        Assert.True(kind.Empty.IsEmpty);
        Assert.Same(kind.Empty, state.Secondary.Of(kind));
        var unchanged = kind.Apply(kind.Empty, new SecondaryIndexChange(state.Schema, state.Schema, state.Eavt, _ => [], null));
        Assert.Same(kind.Empty, unchanged);
        Assert.Null(kind.PlanAhead(state.Schema, EdnReader.Read("""[{:title "x"}]""")));
        Assert.Null(kind.EstimateRows(db.View, []));
        Assert.Null(kind.EstimateRows(db.View, [Keyword.Intern("title"), 42L]));
        Assert.Same(kind, SecondaryIndexes.KindNamed(kind.Name));
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Every_kind_stores_its_index_under_a_root_that_names_its_objects_and_reads_back_the_same(string name)
    {
        var kind = Kind(name);
        var db = NewDb("[{:db/ident :text :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/fulltext true}]",
            data: """[{:text "one value"} {:text "another value"}]""");
        // Built afresh from the datoms (the database's own may already be stored, in the store of the suite's backend).
        var state = db.State;
        var index = kind.Apply(kind.Empty, new SecondaryIndexChange(state.Schema, state.Schema, state.Eavt, _ => [], null));
        Assert.False(index.IsEmpty);
        var nodes = new NodeStore(new MemoryStore(), new NodeCache(1 << 20));

        nodes.OpenPack();
        var (stored, root) = kind.Write(index, nodes);
        nodes.Persist(nodes.ClosePack());

        var read = kind.Read(nodes, root, nodes.ReadObject(root));
        var references = kind.References(nodes, root).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, address => Assert.NotNull(nodes.ReadObject(address)));
        var verified = new HashSet<NodeAddress>();
        kind.Verify(nodes, root, verified);
        Assert.Superset(references.ToHashSet(), verified);
        Assert.False(read.IsEmpty);
        // Writing what is stored again writes nothing new but a root.
        long before = nodes.PersistedLength.Length;
        nodes.OpenPack();
        var (_, again) = kind.Write(stored, nodes);
        nodes.Persist(nodes.ClosePack());
        Assert.Equal(references, kind.References(nodes, again).ToList());
        Assert.InRange(nodes.PersistedLength.Length - before, 1, 1024);
    }

    [Fact]
    public void A_database_value_holds_one_index_per_kind_and_changes_only_the_one_that_changed()
    {
        var empty = SecondaryIndexes.Empty;
        var fullText = FullTextIndex.Empty.With(64, [FullTextSegment.InMemory(FullText.HikeIndex.Build("standard", ["some text"]))]);

        var changed = empty.With(FullTextKind.Instance, fullText);

        Assert.Same(empty, empty.With(FullTextKind.Instance, FullTextIndex.Empty));
        Assert.Same(fullText, changed.Of(FullTextKind.Instance));
        Assert.Same(changed, changed.Select((_, index) => index));
        Assert.Null(SecondaryIndexes.KindNamed(Keyword.Intern("vector")));
    }

    [Fact]
    public void A_commit_record_names_each_root_under_its_kind_and_one_without_any_reads_as_before()
    {
        var info = new CommitInfo(Guid.NewGuid(), [], DateTime.UnixEpoch);
        var indexes = Enumerable.Range(0, CommitRecord.IndexCount).Select(_ => new IndexRef(0, [])).ToArray();
        var root = new NodeAddress(((UInt128)7 << 64) | 1234);
        var with = new CommitRecord(info, 0, Ids.Tx0, DateTime.UnixEpoch, root, indexes) { Secondary = [(FullTextKind.Instance, root)] };
        var without = new CommitRecord(info, 0, Ids.Tx0, DateTime.UnixEpoch, root, indexes);

        var decoded = CommitRecord.Decode(with.Encode(), "c", default);
        var stored = (EdnMap)Hike.Index.Codec.ValueCodec.Decode(Hike.Index.Codec.Envelope.Open(with.Encode(), "c", Hike.Index.Codec.Envelope.KindCommit), "c")!;

        Assert.Equal([(FullTextKind.Instance, root)], decoded.Secondary.Select(s => (s.Kind, s.Root)));
        Assert.True(stored.ContainsKey(Keyword.Intern("fulltext")));
        Assert.Empty(CommitRecord.Decode(without.Encode(), "c", default).Secondary);
        Assert.False(((EdnMap)Hike.Index.Codec.ValueCodec.Decode(Hike.Index.Codec.Envelope.Open(without.Encode(), "c", Hike.Index.Codec.Envelope.KindCommit), "c")!).ContainsKey(Keyword.Intern("fulltext")));
    }
}
