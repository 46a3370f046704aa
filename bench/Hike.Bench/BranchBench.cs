using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hike.Api;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// Branch creation on file-store databases of 1,000 and 1,000,000 datoms (2 per entity, history on):
/// the median time of <c>BranchAsync</c> from the head, and of the first one-entity commit on the new
/// branch. Branching writes a head and the branch set, whatever the database's size, so the two sizes
/// should take the same time. stdout: <c>name datoms median_ms</c> lines, then the 1M ÷ 1k ratio.
/// DataScript has no branches, so there is no comparison run.
/// </summary>
internal static class BranchBench
{
    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity} {:db/ident :v :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]";

    public static async Task RunAsync(BenchOptions o)
    {
        int branches = o.Quick ? 10 : 50;
        string root = Path.Combine(Path.GetTempPath(), "hike-branch-" + Guid.NewGuid().ToString("N")[..12]);
        Console.Error.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cpus, databases in {root}; {branches} branches per size, medians");
        try
        {
            var medians = new Dictionary<int, (double Branch, double Commit)>();
            // The small one twice: the first pass warms the JIT up.
            foreach (int datoms in new[] { 1_000, 1_000, o.Quick ? 100_000 : 1_000_000 })
            {
                medians[datoms] = await MeasureAsync(Path.Combine(root, $"{datoms}-{Guid.NewGuid():N}"), datoms, branches).ConfigureAwait(false);
            }
            foreach (var (datoms, m) in medians)
            {
                Console.WriteLine($"branch-create {datoms} {m.Branch.ToString("F3", CultureInfo.InvariantCulture)}");
                Console.WriteLine($"branch-first-commit {datoms} {m.Commit.ToString("F3", CultureInfo.InvariantCulture)}");
            }
            var big = medians.Keys.Max();
            Console.WriteLine($"branch-create {big}/1000 {(medians[big].Branch / medians[1_000].Branch).ToString("F2", CultureInfo.InvariantCulture)}");
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(double Branch, double Commit)> MeasureAsync(string dir, int datoms, int branches)
    {
        var config = new DatabaseConfig { Store = StoreConfig.File(dir), InitialTx = EdnReader.Read(Schema) };
        using var main = await Database.CreateAndConnectAsync(config).ConfigureAwait(false);
        int entities = datoms / 2;
        for (int start = 0; start < entities; start += 10_000) await main.TransactAsync(Entities(start, Math.Min(10_000, entities - start))).ConfigureAwait(false);
        var creates = new List<double>();
        var commits = new List<double>();
        var db = Keyword.Intern("db");
        for (int i = 0; i < branches; i++)
        {
            var name = Keyword.Intern($"b{i}");
            long t0 = Stopwatch.GetTimestamp();
            await main.BranchAsync(db, name).ConfigureAwait(false);
            creates.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            using var branch = await Database.ConnectAsync(config with { Branch = name }).ConfigureAwait(false);
            t0 = Stopwatch.GetTimestamp();
            await branch.TransactAsync($"[{{:n {i} :v \"branch {i}\"}}]").ConfigureAwait(false);
            commits.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        long count = (long)Datalog.Q("[:find (count ?e) . :where [?e :n]]", main.Db)!;
        Console.Error.WriteLine($"  {datoms} datoms ({count} entities): branch ms {string.Join(' ', creates.Select(F))}; first commit ms {string.Join(' ', commits.Select(F))}");
        return (Median(creates), Median(commits));
    }

    private static string Entities(int start, int count)
    {
        var sb = new StringBuilder("[");
        for (int i = start; i < start + count; i++) sb.Append(CultureInfo.InvariantCulture, $"{{:n {i} :v \"value {i}\"}}");
        return sb.Append(']').ToString();
    }

    private static double Median(List<double> xs)
    {
        var sorted = xs.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string F(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
}
