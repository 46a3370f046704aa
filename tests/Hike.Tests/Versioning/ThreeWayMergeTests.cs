using System.Globalization;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Versioning;
using Hike.Testing;
using Xunit.Abstractions;
using static Hike.Tests.Transactions.TxFixture;

namespace Hike.Tests.Versioning;

public sealed class ThreeWayMergeTests(ITestOutputHelper output)
{
    private const string Schema = """
        [{:db/ident :key :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :tags :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
         {:db/ident :code :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/value}
         {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :likes :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
        """;

    // Entities 1, 2 and 3.
    private const string BaseData = """
        [{:db/id "a" :key "a" :name "Ann" :age 30 :tags ["x" "y"] :code "ca"}
         {:db/id "b" :key "b" :name "Bob" :age 40 :friend "a"}
         {:db/id "c" :key "c" :name "Cy" :code "cc" :likes ["a" "b"]}]
        """;

    private const string BaseFacts = """
        a :age 30
        a :code "ca"
        a :key "a"
        a :name "Ann"
        a :tags "x"
        a :tags "y"
        b :age 40
        b :friend a
        b :key "b"
        b :name "Bob"
        c :code "cc"
        c :key "c"
        c :likes a
        c :likes b
        c :name "Cy"
        """;

    // Both sides change a's name and code holders in ways that conflict three times over.
    private const string ConflictingOurs = """[[:db/add [:key "a"] :name "Anna"] [:db/retract [:key "a"] :age 30] [:db/add [:key "c"] :code "cx"]]""";
    private const string ConflictingTheirs = """[[:db/add [:key "a"] :name "Annie"] [:db/add [:key "a"] :age 31] [:db/add [:key "b"] :code "cx"] [:db/add [:key "c"] :name "Cyd"]]""";

    private const int Rounds = 40;
    private const int BaseEntities = 20;
    private const int StableEntities = 16;

    private static readonly string[] EditedAttributes = ["name", "age", "tags", "code", "friend", "likes"];

    private enum Owner
    {
        Nobody,
        Ours,
        Theirs,
        Both,
    }

    [Fact]
    public void Disjoint_changes_merge_cleanly_with_set_changes_new_entities_and_refs_both_ways()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith("""
            [[:db/add [:key "a"] :name "Anna"]
             [:db/add [:key "a"] :tags "z"]
             [:db/retract [:key "b"] :age 40]
             {:key "o1" :name "Ours new" :friend [:key "b"]}]
            """);
        var theirs = db.DbWith("""
            [[:db/add [:key "b"] :name "Bobby"]
             [:db/retract [:key "a"] :tags "x"]
             [:db/add [:key "a"] :tags "w"]
             [:db/retract [:key "c"] :likes [:key "b"]]
             {:db/id "n" :key "t1" :name "Their new" :friend [:key "a"]}
             [:db/add "n" :likes [:key "c"]]
             [:db/add [:key "c"] :friend "n"]
             [:db/add [:key "c"] :likes "n"]]
            """);
        // The two new entities got the same id on their branches; the merge must keep them apart.
        Assert.Equal(Id(ours, "o1"), Id(theirs, "t1"));

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null);

        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.SchemaTx);
        Assert.Equal(Lines("""
            a :age 30
            a :code "ca"
            a :key "a"
            a :name "Anna"
            a :tags "w"
            a :tags "y"
            a :tags "z"
            b :friend a
            b :key "b"
            b :name "Bobby"
            c :code "cc"
            c :friend t1
            c :key "c"
            c :likes a
            c :likes t1
            c :name "Cy"
            o1 :friend b
            o1 :key "o1"
            o1 :name "Ours new"
            t1 :friend a
            t1 :key "t1"
            t1 :likes c
            t1 :name "Their new"
            """), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void Attributes_their_side_defined_go_in_the_schema_transaction_and_are_used_by_the_data_transaction()
    {
        var db = NewDb(Schema, data: BaseData);
        // Our new entity takes the id their :color attribute has on their branch.
        var ours = db.DbWith("""[{:key "o2" :name "x"}]""");
        var theirs = db
            .DbWith("""
                [{:db/ident :color :db/valueType :db.type/string :db/cardinality :db.cardinality/one}
                 {:db/ident :buddy :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]
                """)
            .DbWith("""[[:db/add [:key "a"] :color "red"] {:db/id "n" :key "t2" :color "blue"} [:db/add [:key "b"] :buddy "n"]]""");
        Assert.Equal(Id(ours, "o2"), theirs.Entid(K("color")));

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null);
        var merged = Apply(ours, plan);

        Assert.Empty(plan.Conflicts);
        Assert.Equal(6, plan.SchemaTx.Count);
        AssertEdn("{:db/valueType :db.type/string :db/cardinality :db.cardinality/one}", merged.Pull("[:db/valueType :db/cardinality]", K("color")));
        AssertEdn("{:db/valueType :db.type/ref :db/cardinality :db.cardinality/one}", merged.Pull("[:db/valueType :db/cardinality]", K("buddy")));
        Assert.Equal(Lines(BaseFacts + """

            a :color "red"
            b :buddy t2
            o2 :key "o2"
            o2 :name "x"
            t2 :color "blue"
            t2 :key "t2"
            """), Facts(merged));
    }

    [Fact]
    public void An_attribute_both_sides_defined_alike_is_one_attribute_holding_both_sides_values()
    {
        var db = NewDb(Schema, data: BaseData);
        const string Color = "[{:db/ident :color :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";
        var ours = db.DbWith("""[{:key "o3"}]""").DbWith(Color).DbWith("""[[:db/add [:key "a"] :color "red"]]""");
        var theirs = db.DbWith(Color).DbWith("""[[:db/add [:key "b"] :color "blue"]]""");

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null);

        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.SchemaTx);
        Assert.Equal(Lines(BaseFacts + """

            a :color "red"
            b :color "blue"
            o3 :key "o3"
            """), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void An_attribute_both_sides_defined_differently_is_a_value_conflict_on_its_definition()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith("[{:db/ident :color :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]");
        var theirs = db.DbWith("[{:db/ident :color :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");

        var error = Assert.Throws<MergeConflictException>(() => ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null));

        Assert.Equal(
            [new MergeConflict(MergeConflictKind.ValueChanged, ours.Entid(K("color"))!.Value, K("db/valueType"), null, K("db.type/string"), K("db.type/long"))],
            error.Conflicts);
    }

    [Fact]
    public void Both_sides_making_the_same_change_is_no_conflict_and_nothing_to_do()
    {
        var db = NewDb(Schema, data: BaseData);
        const string Same = """[[:db/add [:key "a"] :name "Anna"] [:db/add [:key "a"] :tags "z"] [:db/retract [:key "b"] :age 40] [:db/add [:key "c"] :code "cz"]]""";
        var ours = db.DbWith(Same);
        var theirs = db.DbWith(Same);

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null);

        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.SchemaTx);
        Assert.Empty(plan.DataTx);
        Assert.Equal(Facts(ours), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void Both_sides_changing_a_card_one_value_differently_is_a_value_conflict()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith("""[[:db/add [:key "a"] :name "Anna"]]""");
        var theirs = db.DbWith("""[[:db/add [:key "a"] :name "Annie"] [:db/add [:key "b"] :name "Bobby"]]""");

        var error = Assert.Throws<MergeConflictException>(() => ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null));

        Assert.Equal("merge/conflict", error.Code);
        Assert.Equal([new MergeConflict(MergeConflictKind.ValueChanged, Id(db, "a"), K("name"), "Ann", "Anna", "Annie")], error.Conflicts);
    }

    [Fact]
    public void Retracting_a_value_or_an_entity_the_other_side_changed_is_a_retraction_conflict_per_changed_attribute()
    {
        var db = NewDb(Schema, data: BaseData);
        long a = Id(db, "a"), b = Id(db, "b"), c = Id(db, "c");
        var ours = db.DbWith("""[[:db/retract [:key "a"] :age 30] [:db/retractEntity [:key "b"]] [:db/add [:key "c"] :name "Cyd"]]""");
        var theirs = db.DbWith("""[[:db/add [:key "a"] :age 31] [:db/add [:key "b"] :name "Bobby"] [:db/add [:key "b"] :tags "t"] [:db/retractEntity [:key "c"]]]""");

        var error = Assert.Throws<MergeConflictException>(() => ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null));

        const MergeConflictKind Retracted = MergeConflictKind.RetractedAndChanged;
        Assert.Equal(
            [
                new MergeConflict(Retracted, a, K("age"), 30L, null, 31L),
                new MergeConflict(Retracted, b, K("name"), "Bob", null, "Bobby"),
                new MergeConflict(Retracted, b, K("tags"), null, null, EdnSet.Of("t")),
                // Retracting b took it out of c's likes on our side: a change to c, which they retracted.
                new MergeConflict(Retracted, c, K("likes"), EdnSet.Of(a, b), EdnSet.Of(a), null),
                new MergeConflict(Retracted, c, K("name"), "Cy", "Cyd", null),
            ],
            error.Conflicts);
    }

    [Fact]
    public void A_unique_value_their_side_gave_while_ours_gave_it_elsewhere_is_a_claim_conflict()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith("""[[:db/add [:key "c"] :code "cx"] [:db/add [:key "a"] :key "k-new"]]""");
        // A new entity of theirs with an identity value one of our old entities took is no upsert.
        var theirs = db.DbWith("""[[:db/add [:key "b"] :code "cx"] {:key "k-new" :name "New"}]""");

        var error = Assert.Throws<MergeConflictException>(() => ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null));

        Assert.Equal(
            [
                new MergeConflict(MergeConflictKind.UniqueClaimed, Id(db, "b"), K("code"), null, null, "cx") { ClaimedBy = Id(db, "c") },
                new MergeConflict(MergeConflictKind.UniqueClaimed, Id(theirs, "k-new"), K("key"), null, null, "k-new") { ClaimedBy = Id(db, "a") },
            ],
            error.Conflicts);
    }

    [Fact]
    public void The_ours_strategy_keeps_our_values_and_their_other_changes()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith(ConflictingOurs);
        var theirs = db.DbWith(ConflictingTheirs);

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, MergeStrategy.Ours);

        Assert.Equal(ExpectedConflicts(db), plan.Conflicts);
        Assert.Equal(Lines("""
            a :code "ca"
            a :key "a"
            a :name "Anna"
            a :tags "x"
            a :tags "y"
            b :age 40
            b :friend a
            b :key "b"
            b :name "Bob"
            c :code "cx"
            c :key "c"
            c :likes a
            c :likes b
            c :name "Cyd"
            """), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void The_theirs_strategy_takes_their_values_and_takes_a_claimed_value_from_our_holder()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith(ConflictingOurs);
        var theirs = db.DbWith(ConflictingTheirs);

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, MergeStrategy.Theirs);

        Assert.Equal(ExpectedConflicts(db), plan.Conflicts);
        Assert.Equal(Lines("""
            a :age 31
            a :code "ca"
            a :key "a"
            a :name "Annie"
            a :tags "x"
            a :tags "y"
            b :age 40
            b :code "cx"
            b :friend a
            b :key "b"
            b :name "Bob"
            c :key "c"
            c :likes a
            c :likes b
            c :name "Cyd"
            """), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void A_resolving_strategy_sees_each_conflict_and_its_values_are_used()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith(ConflictingOurs);
        var theirs = db.DbWith(ConflictingTheirs);
        var seen = new List<MergeConflict>();

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, MergeStrategy.Resolve(conflict =>
        {
            seen.Add(conflict);
            return MergeResolution.Use(conflict.Kind switch
            {
                MergeConflictKind.ValueChanged => (object)"Anne",
                MergeConflictKind.RetractedAndChanged => 35L,
                _ => "cb",
            });
        }));

        Assert.Equal(ExpectedConflicts(db), plan.Conflicts);
        Assert.Equal(ExpectedConflicts(db), seen.OrderBy(c => c.Entity).ThenBy(c => c.Attribute));
        Assert.Equal(Lines("""
            a :age 35
            a :code "ca"
            a :key "a"
            a :name "Anne"
            a :tags "x"
            a :tags "y"
            b :age 40
            b :code "cb"
            b :friend a
            b :key "b"
            b :name "Bob"
            c :code "cx"
            c :key "c"
            c :likes a
            c :likes b
            c :name "Cyd"
            """), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void A_resolution_can_retract_an_attribute_or_give_a_card_many_attribute_a_set()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith("""[[:db/retractEntity [:key "b"]] [:db/add [:key "a"] :name "Anna"]]""");
        var theirs = db.DbWith("""[[:db/add [:key "b"] :tags "t"] [:db/add [:key "a"] :name "Annie"]]""");

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, MergeStrategy.Resolve(conflict =>
            MergeResolution.Use(conflict.Attribute == K("tags") ? new[] { "p", "q" } : null)));

        Assert.Equal(
            [
                new MergeConflict(MergeConflictKind.ValueChanged, Id(db, "a"), K("name"), "Ann", "Anna", "Annie"),
                new MergeConflict(MergeConflictKind.RetractedAndChanged, Id(db, "b"), K("tags"), null, null, EdnSet.Of("t")),
            ],
            plan.Conflicts);
        var merged = Apply(ours, plan);
        Assert.Equal(new object[] { "p", "q" }, Values(merged, Id(db, "b"), "tags").Order());
        Assert.Empty(Values(merged, Id(db, "a"), "name"));
    }

    [Fact]
    public void New_entities_on_both_sides_with_one_identity_value_become_one_entity()
    {
        var db = NewDb(Schema, data: BaseData);
        // Our "both" is entity 5, theirs entity 4, which on our side is "o-first".
        var ours = db.DbWith("""[{:key "o-first"} {:key "both" :name "N" :tags ["p" "q"]}]""");
        var theirs = db.DbWith("""[{:db/id "n" :key "both" :age 5 :tags ["q" "r"] :friend [:key "a"]} [:db/add [:key "c"] :friend "n"]]""");
        Assert.NotEqual(Id(ours, "both"), Id(theirs, "both"));

        var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null);

        Assert.Empty(plan.Conflicts);
        Assert.Equal(Lines(BaseFacts + """

            both :age 5
            both :friend a
            both :key "both"
            both :name "N"
            both :tags "p"
            both :tags "q"
            both :tags "r"
            c :friend both
            o-first :key "o-first"
            """), Facts(Apply(ours, plan)));
    }

    [Fact]
    public void New_entities_on_both_sides_with_one_identity_value_conflict_on_values_they_set_differently()
    {
        var db = NewDb(Schema, data: BaseData);
        var ours = db.DbWith("""[{:key "both" :name "N" :age 5}]""");
        var theirs = db.DbWith("""[{:key "both" :name "M" :age 5}]""");

        var error = Assert.Throws<MergeConflictException>(() => ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null));

        Assert.Equal([new MergeConflict(MergeConflictKind.ValueChanged, Id(ours, "both"), K("name"), null, "N", "M")], error.Conflicts);
    }

    [Fact]
    public void Random_non_conflicting_edits_merge_to_both_sides_edits_applied_in_sequence()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        for (int round = 0; round < Rounds; round++)
        {
            var (db, model, _) = RandomBase(random);
            var owners = RandomOwners(random, excluded: []);
            var oursOps = RandomEdits(random, round, Owner.Ours, owners, model);
            var theirsOps = RandomEdits(random, round, Owner.Theirs, owners, model);
            var ours = db.DbWith(oursOps);
            var theirs = db.DbWith(theirsOps);

            var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null);

            var expected = Facts(db.DbWith(oursOps).DbWith(theirsOps));
            var actual = Facts(Apply(ours, plan));
            if (!expected.SequenceEqual(actual)) output.WriteLine($"round {round}\nours {oursOps}\ntheirs {theirsOps}");
            Assert.Empty(plan.Conflicts);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Random_concurrent_edits_on_two_branches_merge_through_a_connection_to_both_edits_applied()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        for (int round = 0; round < Rounds / 8; round++)
        {
            var (db, model, text) = RandomBase(random);
            var owners = RandomOwners(random, excluded: []);
            var oursOps = RandomEdits(random, round, Owner.Ours, owners, model);
            var theirsOps = RandomEdits(random, round, Owner.Theirs, owners, model);
            var config = TestBackend.Place(new DatabaseConfig { InitialTx = Read(Schema) });
            using var main = await Database.CreateAndConnectAsync(config);
            await main.TransactAsync(text);
            await main.BranchAsync(K("db"), K("theirs"));
            using var theirs = await Database.ConnectAsync(config with { Branch = K("theirs") });
            // Both branches are written at the same time.
            await Task.WhenAll(main.TransactAsync(oursOps), theirs.TransactAsync(theirsOps));

            await main.MergeBranchAsync(K("theirs"));

            var expected = Facts(db.DbWith(oursOps).DbWith(theirsOps));
            var actual = Facts(main.Db);
            if (!expected.SequenceEqual(actual)) output.WriteLine($"round {round}\nours {oursOps}\ntheirs {theirsOps}");
            Assert.Equal(expected, actual);
            Assert.Equal(2, main.Db.ParentCommitIds.Count);
        }
    }

    [Fact]
    public void Random_forced_conflicts_are_all_listed_and_the_theirs_strategy_applies_their_side_last()
    {
        var random = new Random(TestSeed.Next(output.WriteLine));
        for (int round = 0; round < Rounds / 4; round++)
        {
            var (db, model, _) = RandomBase(random);
            var picked = Enumerable.Range(0, StableEntities).OrderBy(_ => random.Next()).Take(random.Next(2, 8)).ToList();
            var conflictOurs = new StringBuilder();
            var conflictTheirs = new StringBuilder();
            var expected = new List<MergeConflict>();
            for (int j = 0; j + 1 < picked.Count; j++)
            {
                var e = model[picked[j]];
                switch (random.Next(3))
                {
                    case 0:
                        string mine = $"o-{round}-{j}", yours = $"t-{round}-{j}";
                        conflictOurs.Append(CultureInfo.InvariantCulture, $"[:db/add {e.Id} :name \"{mine}\"]");
                        conflictTheirs.Append(CultureInfo.InvariantCulture, $"[:db/add {e.Id} :name \"{yours}\"]");
                        expected.Add(new(MergeConflictKind.ValueChanged, e.Id, K("name"), e.Name, mine, yours));
                        break;
                    case 1:
                        long age = 1000 + j;
                        bool oursRetracts = random.Next(2) == 0;
                        (oursRetracts ? conflictOurs : conflictTheirs).Append(CultureInfo.InvariantCulture, $"[:db/retract {e.Id} :age]");
                        (oursRetracts ? conflictTheirs : conflictOurs).Append(CultureInfo.InvariantCulture, $"[:db/add {e.Id} :age {age}]");
                        expected.Add(new(MergeConflictKind.RetractedAndChanged, e.Id, K("age"), e.Age, oursRetracts ? null : age, oursRetracts ? age : null));
                        break;
                    default:
                        // Our side gives the code to the next picked entity; theirs gives it to this one
                        // and retracts it from ours' holder (a no-op on their branch, which never had it).
                        var holder = model[picked[++j]];
                        string code = $"dup-{round}-{j}";
                        conflictOurs.Append(CultureInfo.InvariantCulture, $"[:db/add {holder.Id} :code \"{code}\"]");
                        conflictTheirs.Append(CultureInfo.InvariantCulture, $"[:db/retract {holder.Id} :code \"{code}\"] [:db/add {e.Id} :code \"{code}\"]");
                        expected.Add(new(MergeConflictKind.UniqueClaimed, e.Id, K("code"), e.Code, e.Code, code) { ClaimedBy = holder.Id });
                        break;
                }
            }
            var owners = RandomOwners(random, excluded: [.. picked]);
            var oursOps = RandomEdits(random, round, Owner.Ours, owners, model, conflictOurs.ToString());
            var theirsOps = RandomEdits(random, round, Owner.Theirs, owners, model, conflictTheirs.ToString());
            var ours = db.DbWith(oursOps);
            var theirs = db.DbWith(theirsOps);
            expected = [.. expected.OrderBy(c => c.Entity).ThenBy(c => c.Attribute)];

            var error = Assert.Throws<MergeConflictException>(() => ThreeWayMerge.Plan(db.View, ours.View, theirs.View, strategy: null));
            var plan = ThreeWayMerge.Plan(db.View, ours.View, theirs.View, MergeStrategy.Theirs);

            if (!expected.SequenceEqual(error.Conflicts)) output.WriteLine($"round {round}\nours {oursOps}\ntheirs {theirsOps}");
            Assert.Equal(expected, error.Conflicts);
            Assert.Equal(expected, plan.Conflicts);
            Assert.Equal(Facts(db.DbWith(oursOps).DbWith(theirsOps)), Facts(Apply(ours, plan)));
        }
    }

    private static List<MergeConflict> ExpectedConflicts(Database db) =>
    [
        new(MergeConflictKind.RetractedAndChanged, Id(db, "a"), K("age"), 30L, null, 31L),
        new(MergeConflictKind.ValueChanged, Id(db, "a"), K("name"), "Ann", "Anna", "Annie"),
        new(MergeConflictKind.UniqueClaimed, Id(db, "b"), K("code"), null, null, "cx") { ClaimedBy = Id(db, "c") },
    ];

    private static long Id(Database db, string key) => db.Entid($"[:key \"{key}\"]") ?? throw new InvalidOperationException($"No entity {key}");

    /// <summary><paramref name="ours"/> with the plan transacted, each non-empty transaction as one.</summary>
    private static Database Apply(Database ours, MergePlan plan)
    {
        var db = ours;
        if (plan.SchemaTx.Count > 0) db = db.DbWith(plan.SchemaTx);
        if (plan.DataTx.Count > 0) db = db.DbWith(plan.DataTx);
        return db;
    }

    private static List<string> Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal)];

    /// <summary>
    /// The database's user facts as <c>key attribute value</c> lines, entities (and ref values) named by
    /// their <c>:key</c>, so that databases that gave the same entities different ids compare equal.
    /// </summary>
    private static List<string> Facts(Database db)
    {
        var eav = Eav(db);
        var schemaEntities = eav.Where(d => d.A == K("db/ident")).Select(d => d.E).ToHashSet();
        var refAttributes = eav
            .Where(d => d.A == K("db/valueType") && d.V == (object)K("db.type/ref"))
            .Select(d => eav.Single(x => x.E == d.E && x.A == K("db/ident")).V)
            .ToHashSet();
        var keys = eav.Where(d => d.A == K("key")).ToDictionary(d => d.E, d => (string)d.V);
        string Name(long e) => keys.TryGetValue(e, out var key) ? key : "#" + e.ToString(CultureInfo.InvariantCulture);
        return
        [
            .. eav
                .Where(d => !schemaEntities.Contains(d.E))
                .Select(d => $"{Name(d.E)} {d.A} {(refAttributes.Contains(d.A) ? Name((long)d.V) : EdnPrinter.Print(d.V))}")
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>
    /// A base of <see cref="BaseEntities"/> entities keyed <c>e0</c>, <c>e1</c>, ..., each with a name, an
    /// age, some tags, maybe a code, and refs to the first <see cref="StableEntities"/> only, so the
    /// others can be retracted without touching anyone else.
    /// </summary>
    private static (Database Db, List<BaseEntity> Model, string Text) RandomBase(Random random)
    {
        var text = new StringBuilder("[");
        var codes = new List<string?>();
        for (int i = 0; i < BaseEntities; i++)
        {
            string? code = random.Next(2) == 0 ? $"c{i}" : null;
            codes.Add(code);
            text.Append(CultureInfo.InvariantCulture, $"{{:db/id \"e{i}\" :key \"e{i}\" :name \"n{random.Next(100)}\" :age {random.Next(100)}");
            var tags = Enumerable.Range(0, 6).Where(_ => random.Next(3) == 0).Select(t => $"\"t{t}\"");
            text.Append(CultureInfo.InvariantCulture, $" :tags [{string.Join(' ', tags)}]");
            if (code is not null) text.Append(CultureInfo.InvariantCulture, $" :code \"{code}\"");
            if (random.Next(2) == 0) text.Append(CultureInfo.InvariantCulture, $" :friend \"e{random.Next(StableEntities)}\"");
            var likes = Enumerable.Range(0, random.Next(3)).Select(_ => $"\"e{random.Next(StableEntities)}\"").Distinct();
            text.Append(CultureInfo.InvariantCulture, $" :likes [{string.Join(' ', likes)}]}}");
        }
        text.Append(']');
        var db = NewDb(Schema, data: text.ToString());
        var model = new List<BaseEntity>();
        for (int i = 0; i < BaseEntities; i++)
        {
            long id = Id(db, $"e{i}");
            model.Add(new BaseEntity(id, (string)Values(db, id, "name").Single(), (long)Values(db, id, "age").Single(), codes[i]));
        }
        return (db, model, text.ToString());
    }

    /// <summary>
    /// Who may change what: each attribute of a stable entity belongs to one side, to nobody or (names
    /// only) to both, which then make the same change; the other entities belong to a side whole.
    /// </summary>
    private static Dictionary<(int Entity, string Attribute), Owner> RandomOwners(Random random, HashSet<int> excluded)
    {
        var owners = new Dictionary<(int, string), Owner>();
        for (int i = 0; i < BaseEntities; i++)
        {
            if (excluded.Contains(i)) continue;
            var whole = (Owner)random.Next(3);
            foreach (var attribute in EditedAttributes)
            {
                var owner = i >= StableEntities ? whole : (Owner)random.Next(4);
                owners[(i, attribute)] = owner == Owner.Both && attribute != "name" ? Owner.Nobody : owner;
            }
        }
        return owners;
    }

    /// <summary>
    /// One side's transaction: random changes to what it owns, some new entities of its own, and
    /// sometimes an entity both sides make with one identity value and different attributes.
    /// </summary>
    private static string RandomEdits(Random random, int round, Owner side, Dictionary<(int Entity, string Attribute), Owner> owners, List<BaseEntity> model, string prefix = "")
    {
        string s = side == Owner.Ours ? "O" : "T";
        var ops = new StringBuilder("[").Append(prefix);
        var temps = Enumerable.Range(0, random.Next(4)).Select(k => $"{s}-new-{k}").ToList();
        // Whether both sides make the shared entity depends on the round only, so they agree.
        bool shared = round % 3 == 0;
        if (shared) temps.Add($"{s}-both");
        int fresh = 0;
        string Stable() => model[random.Next(StableEntities)].Id.ToString(CultureInfo.InvariantCulture);
        string Target() => temps.Count > 0 && random.Next(3) == 0 ? $"\"{temps[random.Next(temps.Count)]}\"" : Stable();
        string Code() => $"\"{s}-code-{fresh++}\"";
        for (int i = StableEntities; i < BaseEntities; i++)
        {
            if (owners.TryGetValue((i, "name"), out var owner) && owner == side && random.Next(2) == 0)
            {
                ops.Append(CultureInfo.InvariantCulture, $"[:db/retractEntity {model[i].Id}]");
                foreach (var attribute in EditedAttributes) owners[(i, attribute)] = Owner.Nobody;
            }
        }
        foreach (var ((i, attribute), owner) in owners.OrderBy(o => o.Key.Entity).ThenBy(o => o.Key.Attribute, StringComparer.Ordinal))
        {
            if (owner == Owner.Both)
            {
                ops.Append(CultureInfo.InvariantCulture, $"[:db/add {model[i].Id} :name \"same-{round}-{i}\"]");
                continue;
            }
            if (owner != side || random.Next(10) < 3) continue;
            long e = model[i].Id;
            bool retract = random.Next(4) == 0;
            switch (attribute)
            {
                case "name":
                    ops.Append(retract ? $"[:db/retract {e} :name]" : $"[:db/add {e} :name \"{s}-{random.Next(100)}\"]");
                    break;
                case "age":
                    ops.Append(retract ? $"[:db/retract {e} :age]" : $"[:db/add {e} :age {random.Next(100)}]");
                    break;
                case "tags":
                    ops.Append(CultureInfo.InvariantCulture, $"[:db/add {e} :tags \"{(random.Next(2) == 0 ? s : "t")}{random.Next(6)}\"]");
                    if (retract) ops.Append(CultureInfo.InvariantCulture, $"[:db/retract {e} :tags \"t{random.Next(6)}\"]");
                    break;
                case "code":
                    ops.Append(retract ? $"[:db/retract {e} :code]" : $"[:db/add {e} :code {Code()}]");
                    break;
                case "friend":
                    ops.Append(retract ? $"[:db/retract {e} :friend]" : $"[:db/add {e} :friend {Target()}]");
                    break;
                default:
                    ops.Append(CultureInfo.InvariantCulture, $"[:db/add {e} :likes {Target()}]");
                    if (retract) ops.Append(CultureInfo.InvariantCulture, $"[:db/retract {e} :likes {Stable()}]");
                    break;
            }
        }
        foreach (var temp in temps)
        {
            bool both = temp.EndsWith("-both", StringComparison.Ordinal);
            ops.Append(CultureInfo.InvariantCulture, $"{{:db/id \"{temp}\" :key \"{(both ? $"both-{round}" : $"{temp}-{round}")}\"");
            // On the shared entity ours sets only the name and the code, theirs only the age and the friend; tags from both.
            if ((!both || side == Owner.Ours) && random.Next(2) == 0) ops.Append(CultureInfo.InvariantCulture, $" :name \"{s}-{random.Next(100)}\"");
            if ((!both || side == Owner.Theirs) && random.Next(2) == 0) ops.Append(CultureInfo.InvariantCulture, $" :age {random.Next(100)}");
            if ((!both || side == Owner.Ours) && random.Next(2) == 0) ops.Append(CultureInfo.InvariantCulture, $" :code {Code()}");
            if ((!both || side == Owner.Theirs) && random.Next(2) == 0) ops.Append(CultureInfo.InvariantCulture, $" :friend {Target()}");
            ops.Append(CultureInfo.InvariantCulture, $" :tags [\"t{random.Next(6)}\" \"{s}{random.Next(3)}\"]}}");
            if (random.Next(2) == 0) ops.Append(CultureInfo.InvariantCulture, $"[:db/add \"{temp}\" :likes {Target()}]");
        }
        return ops.Append(']').ToString();
    }

    private sealed record BaseEntity(long Id, string Name, long Age, string? Code);
}
