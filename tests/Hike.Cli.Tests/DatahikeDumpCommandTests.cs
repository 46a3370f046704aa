using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>
/// <c>hike import</c> of Datahike's <c>export-db</c> dumps, and CBOR in and out like dthk
/// (<c>cbor:FILE</c>, <c>-f cbor</c>), run as processes.
/// </summary>
public sealed class DatahikeDumpCommandTests
{
    private const string Target = "{:store {:backend :file :path \"target\"} :keep-history? true :schema-flexibility :write}";

    [Fact]
    public void Import_of_a_Datahike_dump_directory_loads_it_and_queries_see_it()
    {
        using var dir = new TempDirectory();
        var dump = DatahikeDumpWriter.Sample();
        dump.WriteTo(Path.Combine(dir.Path, "dump"));
        File.WriteAllText(Path.Combine(dir.Path, "target.edn"), Target);
        Cli.Ok(dir.Path, "create-database", "target.edn");

        Assert.Equal($"{{:transactions 3, :datoms {dump.Count}}}", Cli.Ok(dir.Path, "import", "conn:target.edn", "dump"));

        Assert.Equal("#{[\"Alice\" 31 \"Bob\"]}", Cli.Ok(dir.Path, "query", "[:find ?n ?a ?fn :where [?e :name ?n] [?e :age ?a] [?e :friend ?f] [?f :name ?fn]]", "db:target.edn"));
        Assert.Equal("3", Cli.Ok(dir.Path, "query", "[:find (count ?a) . :with ?tx ?added :where [?e :age ?a ?tx ?added]]", "history:target.edn"));
    }

    [Fact]
    public void Import_of_a_damaged_dump_fails_naming_the_chunk_and_loads_nothing()
    {
        using var dir = new TempDirectory();
        var names = DatahikeDumpWriter.Sample().WriteTo(Path.Combine(dir.Path, "dump"), gzip: false);
        var chunk = Path.Combine(dir.Path, "dump", names[0]);
        var bytes = File.ReadAllBytes(chunk);
        bytes[^2] ^= 0x40;
        File.WriteAllBytes(chunk, bytes);
        File.WriteAllText(Path.Combine(dir.Path, "target.edn"), Target);
        Cli.Ok(dir.Path, "create-database", "target.edn");

        var result = Cli.Run(dir.Path, null, "import", "conn:target.edn", "dump");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"hike: Chunk {Path.Combine("dump", names[0])} is damaged: its SHA-256 is ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was imported [import/checksum-failed]\n", result.Error, StringComparison.Ordinal);
        Assert.Equal("nil", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :db/txInstant _]]", "db:target.edn"));
    }

    [Fact]
    public void A_value_written_with_format_cbor_reads_back_through_the_cbor_prefix()
    {
        using var f = new Fixture();
        f.Ok("transact", "conn:cfg.edn", "[{:name \"Al\" :age 40}]");
        const string query = "[:find (pull ?e [:name :age]) . :where [?e :name \"Al\"]]";

        var bytes = RunBytes(f.Dir, "-f", "cbor", "query", query, "db:cfg.edn");
        File.WriteAllBytes(Path.Combine(f.Dir, "al.cbor"), bytes);

        // {:name "Al" :age 40} (in the order the pull gives it): a map of tag-39 keywords.
        Assert.Equal(0xA2, bytes[0]);
        Assert.Equal("{:name \"Al\", :age 40}", f.Ok("query", "[:find ?x . :in ?x]", "cbor:al.cbor"));
    }

    [Fact]
    public void Hand_written_tagged_CBOR_is_read_as_transaction_data()
    {
        using var f = new Fixture();
        // [{:name "Bo" :age 7}] as boring writes it: 81 a2 d827 65 ":name" 62 "Bo" d827 64 ":age" 07
        File.WriteAllBytes(Path.Combine(f.Dir, "tx.cbor"), Convert.FromHexString("81a2d827653a6e616d6562426fd827643a61676507"));

        f.Ok("transact", "conn:cfg.edn", "cbor:tx.cbor");

        Assert.Equal("7", f.Ok("query", "[:find ?a . :where [?e :name \"Bo\"] [?e :age ?a]]", "db:cfg.edn"));
        var bad = f.Run("transact", "conn:cfg.edn", "cbor:tx.cbor.missing");
        Assert.Equal("hike: tx.cbor.missing: no such file [cli/file]", bad.Error.TrimEnd('\n'));
    }

    /// <summary>Standard output as bytes (CBOR is not text).</summary>
    private static byte[] RunBytes(string directory, params string[] args)
    {
        using var process = Cli.Start(directory, args);
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)));
        copy.Wait();
        Assert.True(process.ExitCode == 0, error.Result);
        return output.ToArray();
    }
}
