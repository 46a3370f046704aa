using Hike.Api;
using Hike.Edn;
using Hike.Testing;

namespace Hike.Tests.Pull;

/// <summary>
/// Recursive pulls along a chain of 60,000 entities give maps nested 60,000 deep, as in Datahike;
/// hashing, comparing and printing them must not need a stack frame per level.
/// </summary>
public sealed class DeepPullTests
{
    private const int Length = 60_000;
    private static readonly Keyword Name = Keyword.Intern("name");
    private static readonly Keyword Next = Keyword.Intern("next");
    private static readonly Lazy<Database> Chain = new(BuildChain);

    private static Database BuildChain()
    {
        var db = Database.Empty(new DatabaseConfig { Store = StoreConfig.Memory(Guid.NewGuid().ToString()) }).DbWith("""
            [{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
             {:db/ident :next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]
            """);
        var tx = new List<object?>(Length);
        for (long i = 1; i <= Length; i++)
        {
            var entity = EdnMap.Of(Keyword.Intern("db/id"), i, Name, $"e{i}");
            tx.Add(i < Length ? entity.With(Next, i + 1) : entity);
        }
        return db.DbWith(tx);
    }

    /// <summary>The names along a pulled chain, read without recursion.</summary>
    private static List<string> Names(EdnMap? pulled)
    {
        var names = new List<string>();
        for (var level = pulled; level is not null; level = level.Get(Next) as EdnMap) names.Add((string)level[Name]!);
        return names;
    }

    [Fact]
    public void A_recursive_pull_60000_levels_deep_returns_the_nested_maps_on_a_small_stack()
    {
        // The deep value does not depend on the store: one run (in memory) is enough.
        if (TestBackend.IsDurable) return;
        var db = Chain.Value;
        var (names, equal, hashesMatch, printed) = SmallStack.Run(() =>
        {
            var pulled = db.Pull("[:name {:next ...}]", 1L);
            var again = db.Pull("[:name {:next ...}]", 1L);
            return (Names(pulled), pulled!.Equals(again), pulled.GetHashCode() == again!.GetHashCode(), EdnPrinter.Print(pulled));
        });
        Assert.Equal(Length, names.Count);
        Assert.Equal("e1", names[0]);
        Assert.Equal($"e{Length}", names[^1]);
        Assert.True(equal);
        Assert.True(hashesMatch);
        Assert.StartsWith("{:name \"e1\", :next {:name \"e2\", :next {", printed);
        Assert.EndsWith($"{{:name \"e{Length}\"}}" + new string('}', Length - 1), printed);
    }

    [Fact]
    public void A_recursive_pull_60000_levels_deep_in_find_returns_the_nested_maps_on_a_small_stack()
    {
        if (TestBackend.IsDurable) return;
        var db = Chain.Value;
        var result = SmallStack.Run(() => Datalog.Q("[:find (pull ?e [:name {:next ...}]) :where [?e :name \"e1\"]]", db));
        var tuple = (EdnVector)Assert.Single((EdnVector)result!)!;
        var names = Names((EdnMap)tuple[0]!);
        Assert.Equal(Length, names.Count);
        Assert.Equal($"e{Length}", names[^1]);
    }
}
