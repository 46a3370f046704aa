using Hike.Api;
using Hike.Db;
using Hike.Edn;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Conformance;

/// <summary>DataScript's index-access cases (test/datascript/test/index.cljc) as facts; entities 1-3 are 100-300 here.</summary>
public sealed class DataScriptIndexTests
{
    private static readonly Database Db = NewDb("[{:db/ident :age :db/index true}]", SchemaFlexibility.Read).DbWith("""
        [[:db/add 100 :name "Petr"] [:db/add 100 :age 44]
         [:db/add 200 :name "Ivan"] [:db/add 200 :age 25]
         [:db/add 300 :name "Sergey"] [:db/add 300 :age 11]]
        """);

    private static List<string> Show(IEnumerable<Datom> datoms) =>
        datoms.Where(d => d.E is >= 100 and < Ids.Tx0).Select(d => $"[{d.E} {d.A} {EdnPrinter.Print(d.V)}]").ToList();

    private const string P = "[100 :name \"Petr\"]", PA = "[100 :age 44]", I = "[200 :name \"Ivan\"]", IA = "[200 :age 25]", S = "[300 :name \"Sergey\"]", SA = "[300 :age 11]";

    [Fact]
    public void Datoms_by_index_and_prefix()
    {
        var age = K("age");
        Assert.Equal([PA, P, IA, I, SA, S], Show(Db.Datoms(IndexType.Eavt)));
        Assert.Equal([PA, P], Show(Db.Datoms(IndexType.Eavt, 100L)));
        Assert.Equal([PA], Show(Db.Datoms(IndexType.Eavt, 100L, age)));
        Assert.Equal([PA], Show(Db.Datoms(IndexType.Eavt, 100L, age, 44L)));
        Assert.Empty(Show(Db.Datoms(IndexType.Eavt, 100L, age, 45L)));
        Assert.Equal([PA, IA, SA], Show(Db.Datoms(IndexType.Aevt, age)));
        Assert.Equal([IA], Show(Db.Datoms(IndexType.Aevt, age, 200L)));
        Assert.Equal([SA, IA, PA], Show(Db.Datoms(IndexType.Avet, age)));
        Assert.Equal([IA], Show(Db.Datoms(IndexType.Avet, age, 25L)));
        Assert.Equal([IA], Show(Db.Datoms(IndexType.Avet, age, 25L, 200L)));
        Assert.Equal([PA, P], Show(Db.Datoms(K("eavt"), 100L)));
    }

    [Fact]
    public void Seek_datoms_runs_to_the_end_of_the_index()
    {
        Assert.Equal([P, IA, I, SA, S], Show(Db.SeekDatoms(IndexType.Eavt, 100L, K("name"))));
        Assert.Equal([IA, I, SA, S], Show(Db.SeekDatoms(IndexType.Eavt, 200L)));
        Assert.Equal([IA, I, SA, S], Show(Db.SeekDatoms(IndexType.Eavt, 200L, K("age"), 10L)));
        Assert.Equal([IA, PA], Show(Db.SeekDatoms(IndexType.Avet, K("age"), 25L)));
    }

    [Fact]
    public void Rseek_datoms_runs_backwards_to_the_start()
    {
        Assert.Equal([I, IA, P, PA], Show(Db.RSeekDatoms(IndexType.Eavt, 200L)));
        Assert.Equal([IA, P, PA], Show(Db.RSeekDatoms(IndexType.Eavt, 200L, K("age"))));
        Assert.Equal([IA, SA], Show(Db.RSeekDatoms(IndexType.Avet, K("age"), 25L)));
    }

    [Fact]
    public void Index_range_is_inclusive_and_open_ended_on_nil()
    {
        var age = K("age");
        Assert.Equal([SA], Show(Db.IndexRange(age, 10L, 20L)));
        Assert.Equal([SA, IA], Show(Db.IndexRange(age, 11L, 25L)));
        Assert.Equal([IA, PA], Show(Db.IndexRange(age, 20L, null)));
        Assert.Equal([SA, IA], Show(Db.IndexRange(age, null, 30L)));
        Assert.Empty(Show(Db.IndexRange(age, 50L, 60L)));
    }

    [Fact]
    public void Index_access_on_history_and_as_of_views()
    {
        var later = Db.DbWith("[[:db/add 200 :age 26]]");
        var history = later.History().Datoms(IndexType.Eavt, 200L, K("age")).Select(d => ((long)d.V, d.Added, d.Tx == later.MaxTx)).ToList();
        Assert.Equal([(25L, true, false), (25L, false, true), (26L, true, true)], history);
        Assert.Equal([IA], Show(later.AsOf(Db.MaxTx).Datoms(IndexType.Eavt, 200L, K("age"))));
        Assert.Equal(["[200 :age 26]"], Show(later.Since(Db.MaxTx).Datoms(IndexType.Eavt, 200L, K("age"))));
    }

    [Fact]
    public void Metrics_count_datoms_per_index_attribute_and_entity()
    {
        var metrics = Db.Metrics();
        var user = Db.Datoms(IndexType.Eavt).Count();
        Assert.Equal((long)user, metrics[K("count")]);
        AssertEdn("3", ((EdnMap)metrics[K("per-attr-counts")]!)[K("name")]);
        AssertEdn("2", ((EdnMap)metrics[K("per-entity-counts")]!)[100L]);
        Assert.Equal((long)Db.Datoms(IndexType.Avet).Count(), metrics[K("avet-count")]);
        Assert.True((long)metrics[K("temporal-count")]! >= 0);
    }
}
