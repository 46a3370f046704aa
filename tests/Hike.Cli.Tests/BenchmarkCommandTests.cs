using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>dthk's <c>benchmark</c>: synthetic writes in timed batches.</summary>
public sealed class BenchmarkCommandTests
{
    [Fact]
    public void Benchmark_writes_every_datom_in_batches_and_times_each()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "cfg.edn"), "{:store {:backend :file :path \"db\"} :schema-flexibility :read}");
        Cli.Ok(dir.Path, "create-database", "cfg.edn");

        // datahike.cli's :benchmark: [:db/add (inc i) :name (rand-nth names)] for i from FROM below TO, in batches of BATCH,
        // each transaction wrapped in clojure.core/time ("Elapsed time: … msecs"). 25 datoms in batches of 10: 10, 10 and 5.
        var lines = Cli.Ok(dir.Path, "benchmark", "conn:cfg.edn", "0", "25", "10").Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.All(lines[..3], l => Assert.Matches("""^"Elapsed time: \d+(\.\d+)? msecs"$""", l));
        Assert.Matches("""^\{:transactions 3, :datoms 25, :msecs \d+(\.\d+)?, :datoms-per-sec \d+(\.\d+)?\}$""", lines[3]);

        Assert.Equal("[1 25]", Cli.Ok(dir.Path, "query", "[:find [(min ?e) (max ?e)] :where [?e :name]]", "db:cfg.edn"));
        Assert.Equal("25", Cli.Ok(dir.Path, "query", "[:find (count ?e) . :where [?e :name ?n] [(contains? #{\"Chrislain\" \"Christian\" \"Jiayi\" \"Judith\" \"Konrad\" \"Pablo\" \"Timo\" \"Wade\"} ?n)]]", "db:cfg.edn"));
    }
}
