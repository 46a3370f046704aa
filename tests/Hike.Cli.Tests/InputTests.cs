using System.Text;
using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>Text inputs are strict UTF-8, and JSON numbers keep their value or fail.</summary>
public sealed class InputTests
{
    private static readonly byte[] BadName = [.. "[{:name \"A"u8, 0xFF, .. "B\"}]"u8];

    [Fact]
    public void An_invalid_byte_in_a_file_is_an_error_naming_the_file_and_offset_and_nothing_is_stored()
    {
        using var f = new Fixture();
        File.WriteAllBytes(Path.Combine(f.Dir, "bad.edn"), BadName);

        var argument = f.Run("transact", "conn:cfg.edn", "edn:bad.edn");
        var txFile = f.Run("transact", "--tx-file", "bad.edn", "conn:cfg.edn");

        Assert.Equal(1, argument.ExitCode);
        Assert.Equal("hike: bad.edn: invalid UTF-8 at byte 10 [cli/encoding]\n", argument.Error);
        Assert.Equal("hike: bad.edn: invalid UTF-8 at byte 10 [cli/encoding]\n", txFile.Error);
        Assert.Equal("nil", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
    }

    [Fact]
    public async Task An_invalid_byte_on_standard_input_is_an_error_naming_the_offset()
    {
        using var f = new Fixture();
        using var hike = Cli.Start(f.Dir, "transact", "conn:cfg.edn");
        await hike.StandardInput.BaseStream.WriteAsync(BadName);
        hike.StandardInput.Close();
        var error = hike.StandardError.ReadToEndAsync();
        await hike.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, hike.ExitCode);
        Assert.Equal("hike: standard input: invalid UTF-8 at byte 10 [cli/encoding]\n", await error);
        Assert.Equal("nil", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
    }

    [Fact]
    public void An_import_reads_multibyte_characters_across_buffers_and_stops_at_an_invalid_byte()
    {
        using var f = new Fixture();
        // Lines of three-byte characters, long enough that sequences straddle the reader's 64 KiB buffers.
        var euros = new string('€', 7001);
        var good = new StringBuilder();
        for (int i = 0; i < 20; i++) good.Append($"[{100 + i} :name \"{i}{euros}\" {536870913 + i} true]\n");
        var bytes = Encoding.UTF8.GetBytes(good.ToString());
        File.WriteAllBytes(Path.Combine(f.Dir, "good.edn"), [0xEF, 0xBB, 0xBF, .. bytes]);
        File.WriteAllBytes(Path.Combine(f.Dir, "bad.edn"), [.. bytes.AsSpan(0, 70_000), 0xC3, 0x28, .. bytes.AsSpan(70_000)]);

        var bad = f.Run("import", "conn:cfg.edn", "bad.edn");
        Assert.Equal("hike: bad.edn: invalid UTF-8 at byte 70000 [cli/encoding]\n", bad.Error);
        Assert.Equal("{:transactions 20, :datoms 20}", f.Ok("import", "conn:cfg.edn", "good.edn"));

        Assert.Equal($"\"7{euros}\"", f.Ok("query", "[:find ?n . :where [?e :name ?n] [(clojure.string/starts-with? ?n \"7\")]]", "db:cfg.edn"));
    }

    [Fact]
    public void A_json_integer_too_large_for_a_long_is_a_big_integer()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "big.json"), "[123456789012345678901234567890, -9223372036854775809, 9223372036854775807, 1.5, -0, 1E2]");

        var value = Cli.Ok(dir.Path, "query", "[:find ?v . :in ?v :where [(vector ?v) ?w]]", "json:big.json");

        Assert.Equal("[123456789012345678901234567890N -9223372036854775809N 9223372036854775807 1.5 0 100.0]", value);
    }

    [Fact]
    public void A_json_integer_too_large_for_a_long_becomes_the_double_a_double_attribute_needs()
    {
        using var f = new Fixture();
        File.WriteAllText(Path.Combine(f.Dir, "datoms.jsonl"), """
            [1, ":db/ident", ":score", 536870913, true]
            [1, ":db/valueType", ":db.type/double", 536870913, true]
            [1, ":db/cardinality", ":db.cardinality/one", 536870913, true]
            [5, ":score", 100000000000000000000000, 536870914, true]
            """);

        Assert.Equal("{:transactions 2, :datoms 4}", f.Ok("import", "conn:cfg.edn", "datoms.jsonl"));
        Assert.Equal("1.0E23", f.Ok("query", "[:find ?s . :where [_ :score ?s]]", "db:cfg.edn"));
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1.5e999")]
    [InlineData("1e-400")]
    public void A_json_number_out_of_the_range_of_a_double_is_an_error(string number)
    {
        using var f = new Fixture();
        File.WriteAllText(Path.Combine(f.Dir, "n.json"), $"[{number}]");

        var value = f.Run("query", "[:find ?v . :in ?v :where [(vector ?v) ?w]]", "json:n.json");
        var tx = f.Run("transact", "--input-format", "json", "conn:cfg.edn", $"[{{\"name\": \"x\", \"age\": {number}}}]");

        Assert.Equal($"hike: JSON number {number} is out of the range of a double in n.json [json/number]\n", value.Error);
        Assert.Equal($"hike: JSON number {number} is out of the range of a double in the transaction argument [json/number]\n", tx.Error);
        Assert.Equal("nil", f.Ok("query", "[:find (count ?e) . :where [?e :name]]", "db:cfg.edn"));
    }

    [Fact]
    public void A_json_number_out_of_range_in_a_datom_line_names_the_line()
    {
        using var f = new Fixture();
        File.WriteAllText(Path.Combine(f.Dir, "datoms.jsonl"), "[5, \":age\", 3, 536870913, true]\n[6, \":age\", 1e400, 536870913, true]\n");

        var result = f.Run("import", "conn:cfg.edn", "datoms.jsonl");

        Assert.Equal("hike: datoms.jsonl line 2: JSON number 1e400 is out of the range of a double [json/number]\n", result.Error);
    }
}
