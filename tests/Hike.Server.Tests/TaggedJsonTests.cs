using System.Numerics;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Server.Formats;

namespace Hike.Server.Tests;

/// <summary>Datahike's tagged JSON, as jsonista's tagged module writes it for Datahike's server (<c>datahike.json</c>).</summary>
public sealed class TaggedJsonTests
{
    public static TheoryData<string, object?> Values => new()
    {
        { "[\"!kw\",\"name\"]", Keyword.Intern("name") },
        { "[\"!kw\",\"db/ident\"]", Keyword.Intern("db/ident") },
        { "[\"!sym\",\"?e\"]", Symbol.Intern("?e") },
        { "[\"!uuid\",\"23196000-0000-0000-0000-000000000001\"]", Guid.Parse("23196000-0000-0000-0000-000000000001") },
        { "[\"!date\",\"1700000000123\"]", DateTimeOffset.FromUnixTimeMilliseconds(1700000000123).UtcDateTime },
        { "[\"!set\",[1]]", EdnSet.Of(1L) },
        { "{\"name\":\"Peter\",\"age\":42}", EdnMap.Of(Keyword.Intern("name"), "Peter", Keyword.Intern("age"), 42L) },
        { "[\"Peter\",42,true,null,1.5]", EdnVector.Create("Peter", 42L, true, null, 1.5) },
        { "123456789012345678901234567890", BigInteger.Parse("123456789012345678901234567890") },
        { "[\"!datahike/Datom\",[1,[\"!kw\",\"name\"],\"Ada\",536870913,true]]", new Datom(1, Keyword.Intern("name"), "Ada", 536870913, true) },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void A_value_is_written_as_Datahike_writes_it_and_read_back_equal(string json, object? value)
    {
        Assert.Equal(json, TaggedJson.WriteText(value));
        Assert.Equal(value, TaggedJson.Read(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Handles_are_tagged_values_the_server_resolves_and_unknown_tags_are_plain_arrays()
    {
        var handle = TaggedJson.Read("[\"!datahike/Connection\",[[[\"!kw\",\"mem\"],\"x\"],[\"!kw\",\"db\"]]]"u8);
        Assert.Equal(new Tagged("datahike/Connection", EdnVector.Create(EdnVector.Create(Keyword.Intern("mem"), "x"), Keyword.Intern("db"))), handle);
        Assert.Equal(EdnVector.Create("!nosuch", 1L), TaggedJson.Read("[\"!nosuch\",1]"u8));
        Assert.Equal(EdnVector.Create("!kw", 1L), TaggedJson.Read("[\"!kw\",1]"u8));
    }

    [Fact]
    public void Values_JSON_cannot_carry_are_refused_by_name()
    {
        Assert.Contains("NaN", Assert.Throws<InvalidOperationException>(() => TaggedJson.Write(double.NaN)).Message, StringComparison.Ordinal);
        Assert.Throws<System.Text.Json.JsonException>(() => TaggedJson.Read("[\"!uuid\",\"not a uuid\"]"u8));
        Assert.Throws<System.Text.Json.JsonException>(() => TaggedJson.Read("1e999"u8));
    }
}
