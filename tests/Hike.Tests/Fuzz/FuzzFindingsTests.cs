using Hike.Api;
using Hike.Edn;

namespace Hike.Tests.Fuzz;

/// <summary>What the fuzz test found, kept as plain regression tests.</summary>
public sealed class FuzzFindingsTests
{
    private static Database People() => TestBackend.Build(new DatabaseConfig { Functions = FuzzInputs.Functions() }, EdnReader.Read(FuzzInputs.Schema), EdnReader.Read(FuzzInputs.Data));

    [Fact]
    public void An_integer_too_large_for_an_id_in_a_pattern_matches_nothing()
    {
        var db = People();
        // In the attribute position (after an explicit source) it once overflowed converting to an attribute id.
        Assert.Empty((EdnSet)Datalog.Q("[:find ?b :where [$ :id -2213727116960939173771016814975182109709014288815984942459458531675005403159941590610984N ?b]]", db)!);
        // An attribute given by the id of its entity (2 is :age) still matches.
        Assert.Equal(4, ((EdnSet)Datalog.Q("[:find ?v :where [_ 2 ?v]]", db)!).Count);
    }

    [Fact]
    public void Retracting_an_entity_whose_id_is_a_schema_entity_retracts_the_definition_or_refuses_it()
    {
        // Entity 2 is the definition of :age, which people still use.
        var db = People();
        var error = Assert.Throws<HikeException>(() => db.With("[[:db/retractEntity 2]]"));
        Assert.Equal("transact/schema", error.Code);
        Assert.Contains(":age", error.Message);
    }
}
