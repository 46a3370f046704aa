using System.Diagnostics;
using System.Globalization;

namespace Hike.Bench;

/// <summary>
/// Full-text search on the WordNet glosses (issue 19), every system of <see cref="Targets"/> in one run:
/// <list type="number">
/// <item>the load: 117,659 glosses in batches of 1,000, a durable commit each, one system after the
/// other; glosses/s and the bytes the index's directory grew by;</item>
/// <item>the 1,068 queries of <c>queries.jsonl</c>, top 10: one untimed pass that also keeps each
/// system's answers, then timed passes in which the systems take turns query by query (so that both
/// see the same machine load); per query kind, the median and p99 latency of each system and the
/// ratios between systems;</item>
/// <item>the share of queries whose top-10 set of synset ids equals that of the first system (Lucene.Net),
/// and, per system, the share whose 10th and 11th answers score the same (where the set rests on tie-breaking);</item>
/// <item>one-gloss commits on the full index: the bytes the directory grew by and the bytes the
/// process wrote (<c>wchar</c> of <c>/proc/self/io</c>), medians.</item>
/// </list>
/// stdout: <c># </c> header lines, then one <c>name [kind] side value unit</c> line per figure; a
/// table of the query figures and progress go to stderr. A new system is one more
/// <see cref="IFullTextTarget"/> in <see cref="Targets"/>: the harness and its printing take it as it is.
/// </summary>
internal static class FullTextBench
{
    private const int BatchSize = 1_000;
    private const int TopK = 10;
    private const int OneGlossCommits = 7;
    private const int WarmUpLoads = 2;

    /// <summary>The systems compared, the reference (the one agreement is measured against) first.</summary>
    private static List<IFullTextTarget> Targets() => [new LuceneTarget(), new Fts5Target(), new HikeFullTextTarget()];

    private sealed record Load(double Seconds, double FinishSeconds, long StoreBytes);

    private sealed record OneGlossCommit(double Ms, long GrowthBytes, long WrittenBytes);

    public static async Task RunAsync(BenchOptions o, string dataDir)
    {
        string corpus = WordNet.Dir(dataDir);
        var glosses = WordNet.ReadGlosses(corpus);
        var queries = WordNet.ReadQueries(corpus);
        if (o.Quick) glosses = glosses[..Math.Min(20_000, glosses.Count)];
        int passes = o.Quick ? 1 : 3;
        string root = Path.Combine(Path.GetTempPath(), "hike-fulltext-" + Guid.NewGuid().ToString("N")[..12]);
        var targets = Targets();
        try
        {
            // Throwaway loads per system first (the same glosses into indices of their own), so the timed
            // load measures indexing, not the JIT compiling and tiering up the .NET systems' code (SQLite
            // is native): a load runs each per-batch method only about a hundred times, and a method goes
            // through two tiers (instrumented, then optimised) after thirty calls each and a pause.
            for (int round = 0; round < WarmUpLoads; round++)
            {
                foreach (var warm in Targets())
                {
                    using (warm)
                    {
                        string warmDir = Path.Combine(root, $"warm-up-{round}-{warm.Name}");
                        Directory.CreateDirectory(warmDir);
                        await warm.OpenAsync(warmDir).ConfigureAwait(false);
                        await LoadAsync(warm, glosses).ConfigureAwait(false);
                    }
                    Directory.Delete(Path.Combine(root, $"warm-up-{round}-{warm.Name}"), recursive: true);
                }
            }

            var loads = new List<Load>();
            foreach (var t in targets)
            {
                string dir = Path.Combine(root, t.Name);
                Directory.CreateDirectory(dir);
                await t.OpenAsync(dir).ConfigureAwait(false);
                loads.Add(await LoadAsync(t, glosses).ConfigureAwait(false));
            }

            // The untimed pass warms each system up and keeps its answers for the agreement, with one
            // more answer to see whether the last place is a tie (the top-k set then rests on tie-breaking).
            var answers = targets.Select(t => queries.Select(q => t.Search(q, TopK + 1)).ToList()).ToList();
            // times[target][query][pass], in microseconds.
            var times = targets.Select(_ => queries.Select(_ => new double[passes]).ToArray()).ToArray();
            for (int pass = 0; pass < passes; pass++)
            {
                for (int i = 0; i < queries.Count; i++)
                {
                    // Who goes first turns with each query, so no system always runs right after another.
                    for (int j = 0; j < targets.Count; j++)
                    {
                        int ti = (i + j) % targets.Count;
                        long t0 = Stopwatch.GetTimestamp();
                        targets[ti].Search(queries[i], TopK);
                        times[ti][i][pass] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
                    }
                }
                Console.Error.WriteLine($"  query pass {pass + 1} of {passes} done");
            }

            var commits = new List<OneGlossCommit>();
            foreach (var t in targets) commits.Add(await OneGlossCommitsAsync(t, glosses).ConfigureAwait(false));

            Report(o, targets, glosses.Count, queries, passes, loads, answers, times, commits);
        }
        finally
        {
            foreach (var t in targets) t.Dispose();
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The bytes of every file under <paramref name="dir"/>.</summary>
    public static long FolderBytes(string dir)
    {
        long total = 0;
        foreach (var f in new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories)) total += f.Length;
        return total;
    }

    private static async Task<Load> LoadAsync(IFullTextTarget t, List<WordNet.Gloss> glosses)
    {
        long before = t.BytesOnDisk();
        var pausedBefore = GC.GetTotalPauseDuration();
        int gen2Before = GC.CollectionCount(2);
        long t0 = Stopwatch.GetTimestamp();
        for (int start = 0; start < glosses.Count; start += BatchSize)
        {
            await t.IndexAsync(glosses.GetRange(start, Math.Min(BatchSize, glosses.Count - start))).ConfigureAwait(false);
        }
        double batches = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long t1 = Stopwatch.GetTimestamp();
        await t.FinishLoadingAsync().ConfigureAwait(false);
        double finish = Stopwatch.GetElapsedTime(t1).TotalSeconds;
        var load = new Load(batches + finish, finish, t.BytesOnDisk() - before);
        Console.Error.WriteLine($"  {t.Name}: {glosses.Count} glosses in {load.Seconds:F2} s (finishing {finish:F2} s), store {load.StoreBytes / 1e6:F1} MB; " +
            $".NET GC paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:F2} s ({GC.CollectionCount(2) - gen2Before} full collections)");
        return load;
    }

    private static async Task<OneGlossCommit> OneGlossCommitsAsync(IFullTextTarget t, List<WordNet.Gloss> glosses)
    {
        var runs = new List<OneGlossCommit>();
        for (int i = 0; i < OneGlossCommits; i++)
        {
            // A new synset with the text of an existing one, so the index grows by one gloss.
            var gloss = new WordNet.Gloss($"x{i:D8}", glosses[i * 997 % glosses.Count].Text);
            long before = t.BytesOnDisk();
            long written = BytesWritten();
            long t0 = Stopwatch.GetTimestamp();
            await t.IndexAsync([gloss]).ConfigureAwait(false);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            runs.Add(new OneGlossCommit(ms, t.BytesOnDisk() - before, written < 0 ? -1 : BytesWritten() - written));
        }
        Console.Error.WriteLine($"  {t.Name}: one-gloss commits: ms {string.Join(' ', runs.Select(r => F(r.Ms, 2)))}; growth {string.Join(' ', runs.Select(r => r.GrowthBytes))}; written {string.Join(' ', runs.Select(r => r.WrittenBytes))}");
        return new OneGlossCommit(Median(runs.Select(r => r.Ms)), (long)Median(runs.Select(r => (double)r.GrowthBytes)), (long)Median(runs.Select(r => (double)r.WrittenBytes)));
    }

    /// <summary>The bytes this process has passed to write calls (Linux), or -1 where that is not known.</summary>
    private static long BytesWritten()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/io"))
            {
                if (line.StartsWith("wchar:", StringComparison.Ordinal)) return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return -1;
    }

    private static void Report(BenchOptions o, List<IFullTextTarget> targets, int glossCount, List<WordNet.Query> queries, int passes,
        List<Load> loads, List<List<IReadOnlyList<FullTextHit>>> answers, double[][][] times, List<OneGlossCommit> commits)
    {
        var w = Console.Out;
        w.WriteLine($"# hike --fulltext{(o.Quick ? " --quick" : "")}: .NET {Environment.Version}, {Environment.ProcessorCount} cpus; WordNet 3.0: {glossCount} glosses in batches of {BatchSize}, a durable commit each");
        w.WriteLine($"# {queries.Count} queries, top {TopK}: one untimed pass, then {passes} timed passes, the systems taking turns query by query; latency in microseconds per query (parse, search, ids of the top {TopK})");
        w.WriteLine($"# agreement: share of queries whose top-{TopK} id set equals {targets[0].Name}'s; tied-cut: share whose answers {TopK} and {TopK + 1} score the same; one-gloss commit: medians of {OneGlossCommits}, growth of the directory and bytes passed to write calls");
        foreach (var t in targets) w.WriteLine($"# {t.Name}: {t.Describe()}");

        for (int ti = 0; ti < targets.Count; ti++)
        {
            string n = targets[ti].Name;
            w.WriteLine($"fulltext-index {n} {F(glossCount / loads[ti].Seconds, 0)} glosses/s");
            w.WriteLine($"fulltext-index-time {n} {F(loads[ti].Seconds, 2)} s");
            w.WriteLine($"fulltext-store {n} {loads[ti].StoreBytes} bytes");
        }

        string[] kinds = [.. WordNet.Kinds, "all"];
        var stats = new (double Median, double P99)[targets.Count, kinds.Length];
        var agreement = new double[targets.Count, kinds.Length];
        var tiedCut = new double[targets.Count, kinds.Length];
        for (int k = 0; k < kinds.Length; k++)
        {
            var chosen = Enumerable.Range(0, queries.Count).Where(i => kinds[k] == "all" || queries[i].Kind == kinds[k]).ToList();
            for (int ti = 0; ti < targets.Count; ti++)
            {
                var sorted = chosen.SelectMany(i => times[ti][i]).Order().ToArray();
                stats[ti, k] = (Percentile(sorted, 0.5), Percentile(sorted, 0.99));
                agreement[ti, k] = 100.0 * chosen.Count(i => SameSet(answers[ti][i], answers[0][i])) / chosen.Count;
                tiedCut[ti, k] = 100.0 * chosen.Count(i => TiedAtCut(answers[ti][i])) / chosen.Count;
            }
            for (int ti = 0; ti < targets.Count; ti++)
            {
                string n = targets[ti].Name;
                w.WriteLine($"fulltext-query-median {kinds[k]} {n} {F(stats[ti, k].Median, 1)} us");
                w.WriteLine($"fulltext-query-p99 {kinds[k]} {n} {F(stats[ti, k].P99, 1)} us");
            }
            for (int ti = 1; ti < targets.Count; ti++)
            {
                for (int tj = 0; tj < ti; tj++)
                {
                    string pair = $"{targets[ti].Name}/{targets[tj].Name}";
                    w.WriteLine($"fulltext-query-median-ratio {kinds[k]} {pair} {F(stats[ti, k].Median / stats[tj, k].Median, 2)}");
                    w.WriteLine($"fulltext-query-p99-ratio {kinds[k]} {pair} {F(stats[ti, k].P99 / stats[tj, k].P99, 2)}");
                }
            }
            for (int ti = 1; ti < targets.Count; ti++) w.WriteLine($"fulltext-agreement {kinds[k]} {targets[ti].Name} {F(agreement[ti, k], 1)} %");
            for (int ti = 0; ti < targets.Count; ti++) w.WriteLine($"fulltext-tied-cut {kinds[k]} {targets[ti].Name} {F(tiedCut[ti, k], 1)} %");
        }

        for (int ti = 0; ti < targets.Count; ti++)
        {
            string n = targets[ti].Name;
            w.WriteLine($"fulltext-commit-growth {n} {commits[ti].GrowthBytes} bytes");
            w.WriteLine($"fulltext-commit-written {n} {commits[ti].WrittenBytes} bytes");
            w.WriteLine($"fulltext-commit-time {n} {F(commits[ti].Ms, 2)} ms");
        }

        // The same query figures as a table, for reading (and for the README).
        var e = Console.Error;
        var header = new List<string> { "kind", "queries" };
        foreach (var t in targets) header.AddRange([$"{t.Name} median µs", $"{t.Name} p99 µs"]);
        for (int ti = 1; ti < targets.Count; ti++)
        {
            for (int tj = 0; tj < ti; tj++) header.Add($"{targets[ti].Name} / {targets[tj].Name} median");
        }
        for (int ti = 1; ti < targets.Count; ti++) header.Add($"{targets[ti].Name} top-{TopK} = {targets[0].Name}");
        foreach (var t in targets) header.Add($"{t.Name} tied at {TopK}");
        e.WriteLine("| " + string.Join(" | ", header) + " |");
        e.WriteLine("| " + string.Join(" | ", header.Select((_, i) => i == 0 ? "---" : "---:")) + " |");
        for (int k = 0; k < kinds.Length; k++)
        {
            int count = kinds[k] == "all" ? queries.Count : queries.Count(q => q.Kind == kinds[k]);
            var row = new List<string> { kinds[k], count.ToString(CultureInfo.InvariantCulture) };
            for (int ti = 0; ti < targets.Count; ti++) row.AddRange([F(stats[ti, k].Median, 0), F(stats[ti, k].P99, 0)]);
            for (int ti = 1; ti < targets.Count; ti++)
            {
                for (int tj = 0; tj < ti; tj++) row.Add(F(stats[ti, k].Median / stats[tj, k].Median, 2));
            }
            for (int ti = 1; ti < targets.Count; ti++) row.Add(F(agreement[ti, k], 1) + " %");
            for (int ti = 0; ti < targets.Count; ti++) row.Add(F(tiedCut[ti, k], 1) + " %");
            e.WriteLine("| " + string.Join(" | ", row) + " |");
        }
    }

    /// <summary>Whether the top-k ids of two answers (each of up to k + 1 hits) are the same set.</summary>
    private static bool SameSet(IReadOnlyList<FullTextHit> a, IReadOnlyList<FullTextHit> b) =>
        a.Take(TopK).Select(h => h.Id).ToHashSet().SetEquals(b.Take(TopK).Select(h => h.Id)) && Math.Min(a.Count, TopK) == Math.Min(b.Count, TopK);

    /// <summary>Whether the k-th and (k+1)-th hits score the same: which of them is in the top k is then the system's tie-break.</summary>
    private static bool TiedAtCut(IReadOnlyList<FullTextHit> hits) => hits.Count > TopK && hits[TopK - 1].Score == hits[TopK].Score;

    /// <summary>The nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Median(IEnumerable<double> xs)
    {
        var sorted = xs.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string F(double x, int decimals) => x.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
}
