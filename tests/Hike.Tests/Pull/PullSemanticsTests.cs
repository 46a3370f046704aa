using Hike.Api;
using Hike.Edn;
using Hike.Pull;
using static Hike.Tests.Pull.PullFixture;

namespace Hike.Tests.Pull;

/// <summary>Pull behaviour beyond the ported suites: Datahike's rules for empty results, entity references, pattern forms and large graphs.</summary>
public sealed class PullSemanticsTests
{
    [Fact]
    public void Recursion_along_a_long_cycle_stops_where_the_path_meets_itself()
    {
        // 40 entities in a ring: deeper than the recursion state keeps in its small arrays.
        var db = Empty().DbWith("[{:db/ident :next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]")
            .DbWith(EdnVector.Create([.. Enumerable.Range(0, 40).Select(i => (object?)EdnMap.Of(K("db/id"), (long)(100 + i), K("n"), (long)i, K("next"), (long)(100 + (i + 1) % 40)))]));
        // As Datahike, the root is not on the path: the ring comes back to it once, then stops at its successor.
        var node = db.Pull("[:n {:next ...}]", 100L)!;
        for (int i = 0; i <= 40; i++)
        {
            Assert.Equal((long)(i % 40), node[K("n")]);
            if (i < 40) node = (EdnMap)node[K("next")]!;
        }
        AssertEdn("{:db/id 101}", node[K("next")]);
    }

    [Fact]
    public void An_entity_with_none_of_the_attributes_pulls_as_nil()
    {
        Assert.Null(TestDb.Pull("[:name]", 999L));
        Assert.Null(TestDb.Pull("[:db/id]", 999L));
        Assert.Null(TestDb.Pull("[:db/id :name :_child]", 999L));
    }

    [Fact]
    public void Wildcard_on_an_id_without_datoms_shows_only_the_id_as_in_Datahike()
    {
        AssertEdn("{:db/id 999}", TestDb.Pull("[*]", 999L));
    }

    [Fact]
    public void A_default_shows_even_for_an_entity_without_datoms()
    {
        AssertEdn("{:name \"nobody\"}", TestDb.Pull("[:db/id [:name :default \"nobody\"]]", 999L));
    }

    [Fact]
    public void Pull_many_keeps_a_nil_for_each_entity_with_nothing_to_show()
    {
        AssertEdn("""[{:name "Petr"} nil {:name "Elizabeth"}]""", TestDb.PullMany("[:name]", [1L, 999L, 5L]));
    }

    [Fact]
    public void The_entity_may_be_given_as_any_integer_type_a_lookup_ref_or_an_ident()
    {
        AssertEdn("""{:name "Petr"}""", TestDb.Pull("[:name]", 1));
        AssertEdn("""{:name "Petr"}""", TestDb.Pull("[:name]", (short)1));
        AssertEdn("""{:name "Petr"}""", TestDb.Pull("[:name]", new List<object> { K("name"), "Petr" }));
        AssertEdn("""{:name "Petr"}""", TestDb.Pull("[:name]", "1"));
        AssertEdn("{:db/ident :aka :db/cardinality :db.cardinality/many}", TestDb.Pull("[:db/ident :db/cardinality]", K("aka")));
        AssertEdn("{:db/id 1002 :db/ident :aka}", TestDb.Pull("[:db/id :db/ident]", ":aka"));
    }

    [Fact]
    public void Bad_entity_references_are_entity_id_or_lookup_ref_errors()
    {
        Assert.Equal("entity-id/missing", Throws(() => TestDb.Pull("[:name]", K("no-such-ident"))).Code);
        Assert.Equal("entity-id/syntax", Throws(() => TestDb.Pull("[:name]", 1.5)).Code);
        Assert.Equal("entity-id/syntax", Throws(() => TestDb.Pull("[:name]", -1L)).Code);
        Assert.Equal("entity-id/syntax", Throws(() => TestDb.PullMany("[:name]", [1L, null])).Code);
        Assert.Equal("lookup-ref/syntax", Throws(() => TestDb.Pull("[:name]", "[:name]")).Code);
        Assert.Equal("lookup-ref/unique", Throws(() => TestDb.Pull("[:name]", "[:aka \"Devil\"]")).Code);
    }

    [Fact]
    public void A_ref_to_an_entity_with_an_ident_pulls_as_its_db_id_like_any_ref()
    {
        var db = Empty()
            .DbWith("[{:db/id 101 :db/ident :color :db/valueType :db.type/ref} {:db/id 102 :db/ident :red}]")
            .DbWith("[{:db/id 1 :name \"apple\" :color :red}]");
        AssertEdn("{:name \"apple\" :color {:db/id 102}}", db.Pull("[:name :color]", 1L));
        AssertEdn("{:db/id 1 :name \"apple\" :color {:db/id 102}}", db.Pull("[*]", 1L));
        AssertEdn("{:name \"apple\" :color {:db/ident :red}}", db.Pull("[:name {:color [:db/ident]}]", 1L));
    }

    [Fact]
    public void Patterns_may_be_parsed_edn_values_or_csharp_collections()
    {
        const string expected = """{:name "Petr" :child [{:name "David"} {:name "Thomas"}]}""";
        AssertEdn(expected, TestDb.Pull(Read("[:name {:child [:name]}]")!, 1L));
        var csharp = new List<object> { K("name"), new Dictionary<object, object> { [K("child")] = new object[] { K("name") } } };
        AssertEdn(expected, TestDb.Pull(csharp, 1L));
        var strings = new List<object> { "name", new Dictionary<object, object> { [":child"] = new List<object> { ":name" } } };
        AssertEdn(expected, TestDb.Pull(strings, 1L));
        AssertEdn("""{:db/id 1 :name "Petr" :aka ["Devil" "Tupen"] :child [{:db/id 2} {:db/id 3}]}""", TestDb.Pull(new object[] { "*" }, 1L));
    }

    [Fact]
    public void A_compiled_pattern_gives_the_same_results_on_every_database_it_is_used_with()
    {
        var pattern = (EdnVector)Read("[:name {:friend [:name]}]")!;
        var before = TestDb;
        var after = TestDb.DbWith("[[:db/add 4 :friend 5]]");
        Assert.Null(before.Pull(pattern, 4L)?.Get(K("friend")));
        AssertEdn("""{:name "Lucy" :friend [{:name "Elizabeth"}]}""", after.Pull(pattern, 4L));
        AssertEdn("""{:name "Lucy"}""", before.Pull(pattern, 4L));
        var grown = after.DbWith("[{:db/id 2001 :db/ident :nick}]").DbWith("[[:db/add 5 :nick \"Liz\"]]");
        var withNick = (EdnVector)Read("[:name {:friend [:name :nick]}]")!;
        AssertEdn("""{:name "Lucy" :friend [{:name "Elizabeth"}]}""", after.Pull(withNick, 4L));
        AssertEdn("""{:name "Lucy" :friend [{:name "Elizabeth" :nick "Liz"}]}""", grown.Pull(withNick, 4L));
    }

    [Fact]
    public void The_evaluator_pulls_over_a_view_with_a_pattern_compiled_once()
    {
        var pattern = PullPattern.Parse("[:name {:_father [:name]}]");
        var view = TestDb.View;
        AssertEdn("""{:name "Petr" :_father [{:name "David"} {:name "Thomas"}]}""", PullEvaluator.Pull(view, pattern, 1L));
        AssertEdn("""{:name "Thomas" :_father [{:name "Matthew"}]}""", PullEvaluator.Pull(view, pattern, 3L));
        AssertEdn("""[{:name "David"} nil]""", PullEvaluator.PullMany(view, pattern, [2L, 999L]));
    }

    [Fact]
    public void Attribute_expressions_work_as_map_keys_in_every_syntax()
    {
        var db = TestDb.DbWith("[[:db/add 4 :friend 5] [:db/add 4 :friend 6] [:db/add 4 :friend 7]]");
        AssertEdn("""{:pals [{:name "Elizabeth"} {:name "Matthew"}]}""", db.Pull("[{[:friend :as :pals :limit 2] [:name]}]", 4L));
        AssertEdn("""{:pals [{:name "Elizabeth"}]}""", db.Pull("[{(:friend :as :pals :limit 1) [:name]}]", 4L));
        AssertEdn("""{:foes :none}""", db.Pull("[{[:enemy :as :foes :default :none] [:name]}]", 4L));
        AssertEdn("""{:enemy :none}""", db.Pull("[{(default :enemy :none) [:name]}]", 4L));
    }

    [Fact]
    public void Limits_apply_to_reverse_refs()
    {
        AssertEdn("{:_father [{:db/id 2}]}", TestDb.Pull("[[:_father :limit 1]]", 1L));
        AssertEdn("{:kids [{:name \"David\"}]}", TestDb.Pull("[{[:_father :limit 1 :as :kids] [:name]}]", 1L));
    }

    [Fact]
    public void Limits_bound_the_values_of_wildcard_attributes_too()
    {
        AssertEdn("""{:db/id 1 :name "Petr" :aka ["Devil"] :child [{:db/id 2} {:db/id 3}]}""", TestDb.Pull("[* [:aka :limit 1]]", 1L));
    }

    [Fact]
    public void Db_id_accepts_an_alias()
    {
        // DATAHIKE: Datahike ignores options on :db/id; Hike honours :as as Datomic does.
        AssertEdn("""{"id" 1 :name "Petr"}""", TestDb.Pull("""[[:db/id :as "id"] :name]""", 1L));
        AssertEdn("""{"id" 1 :db/id 1 :name "Petr" :aka ["Devil" "Tupen"] :child [{:db/id 2} {:db/id 3}]}""", TestDb.Pull("""[* [:db/id :as "id"]]""", 1L));
    }

    [Fact]
    public void A_later_spec_for_the_same_attribute_replaces_an_earlier_one_and_map_specs_come_last()
    {
        AssertEdn("""{:n "Petr"}""", TestDb.Pull("[:name [:name :as :n]]", 1L));
        AssertEdn("""{:child [{:name "David"} {:name "Thomas"}]}""", TestDb.Pull("[{:child [:name]} :child]", 1L));
    }

    [Fact]
    public void Colliding_aliases_keep_the_later_value()
    {
        AssertEdn("""{:x ["Devil" "Tupen"]}""", TestDb.Pull("[[:name :as :x] [:aka :as :x]]", 1L));
    }

    [Fact]
    public void Recursion_works_under_an_alias_and_keeps_its_depth_limit()
    {
        var db = TestDb.DbWith("[[:db/add 4 :friend 5] [:db/add 5 :friend 6] [:db/add 6 :friend 7]]");
        AssertEdn("""{:name "Lucy" :pals [{:name "Elizabeth" :pals [{:name "Matthew"}]}]}""", db.Pull("[:name {[:friend :as :pals] 2}]", 4L));
    }

    [Fact]
    public void Recursion_under_a_wildcard_pulls_every_attribute_at_every_level()
    {
        // DATAHIKE: Datahike's frame machine returns only {:db/id n} for entities reached by recursion
        // under a wildcard pattern; Hike pulls them with the pattern as written.
        var db = TestDb.DbWith("[[:db/add 4 :friend 5] [:db/add 5 :friend 6] [:db/add 6 :friend 4]]");
        const string expected = """
            {:db/id 4 :name "Lucy"
             :friend [{:db/id 5 :name "Elizabeth"
                       :friend [{:db/id 6 :name "Matthew" :father {:db/id 3}
                                 :friend [{:db/id 4 :name "Lucy" :friend [{:db/id 5}]}]}]}]}
            """;
        AssertEdn(expected, db.Pull("[* {:friend ...}]", 4L));
    }

    [Fact]
    public void A_wildcard_applies_subpatterns_and_defaults_of_listed_attributes()
    {
        AssertEdn("""{:db/id 1 :name "Petr" :aka ["Devil" "Tupen"] :child [{:name "David"} {:name "Thomas"}]}""", TestDb.Pull("[* {:child [:name]}]", 1L));
        // DATAHIKE: Datahike drops defaults of attributes listed beside a wildcard; Hike applies them.
        AssertEdn("""{:db/id 2 :name "David" :father {:db/id 1} :aka []}""", TestDb.Pull("[* [:aka :default []]]", 2L));
    }

    [Fact]
    public void Subpatterns_and_recursion_on_a_non_ref_attribute_return_its_values()
    {
        AssertEdn("""{:name "Petr" :aka ["Devil" "Tupen"]}""", TestDb.Pull("[{:name [:foo]} {:aka ...}]", 1L));
    }

    [Fact]
    public void A_reverse_spec_of_a_non_ref_attribute_has_no_values()
    {
        Assert.Null(TestDb.Pull("[:_name :_nothing]", 1L));
        AssertEdn("{:_name 0}", TestDb.Pull("[[:_name :default 0]]", 1L));
    }

    [Fact]
    public void An_empty_pattern_pulls_nothing()
    {
        Assert.Null(TestDb.Pull("[]", 1L));
        AssertEdn("""{:name "Petr" :child []}""", TestDb.Pull("[:name {:child []}]", 1L));
    }

    [Fact]
    public void A_tree_of_781_entities_pulls_whole_with_unbounded_recursion()
    {
        // The benchmark's wide-4x5 graph: a root, fan-out 5, depth 4: 1 + 5 + 25 + 125 + 625 entities.
        var db = Empty().DbWith("[{:db/id 5001 :db/ident :follows :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]");
        var adds = new List<(long, string, object)>();
        long next = 1;
        var level = new List<long> { next++ };
        adds.Add((1, "name", "n1"));
        for (int depth = 0; depth < 4; depth++)
        {
            var below = new List<long>();
            foreach (long parent in level)
            {
                for (int i = 0; i < 5; i++)
                {
                    long child = next++;
                    adds.Add((child, "name", "n" + child));
                    adds.Add((parent, "follows", child));
                    below.Add(child);
                }
            }
            level = below;
        }
        db = db.DbWith(Adds(adds));
        var pulled = db.Pull("[:name {:follows ...}]", 1L);
        var names = new HashSet<string>();
        int maps = CountMaps(pulled, names, depth: 0, out int maxDepth);
        Assert.Equal(781, maps);
        Assert.Equal(781, names.Count);
        Assert.Equal(4, maxDepth);
        Assert.Contains("n781", names);
    }

    private static int CountMaps(object? node, HashSet<string> names, int depth, out int maxDepth)
    {
        var map = (EdnMap)node!;
        names.Add((string)map[K("name")]!);
        maxDepth = depth;
        int count = 1;
        if (map.TryGetValue(K("follows"), out var follows))
        {
            var children = (EdnVector)follows!;
            Assert.Equal(5, children.Count);
            foreach (var child in children)
            {
                count += CountMaps(child, names, depth + 1, out int d);
                maxDepth = Math.Max(maxDepth, d);
            }
        }
        return count;
    }
}
