using System.Globalization;
using System.Text;
using Hike.Api;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// A recursive rule on a chain 1 → 2 → … → 100,000 (in memory), called with a bound start some
/// nodes from the end (<c>chain-bound-100</c> … <c>chain-bound-50k</c>: the number of nodes the start
/// reaches), with the right-linear ancestor rule of Datahike's docs and the left-linear one
/// (<c>chain-left-bound-…</c>) and one with a clause after its recursive call
/// (<c>chain-nontail-bound-100</c>, <c>-1k</c>: every reached node's answers); against the unbound closure (<c>chain-2k-unbound</c>, every pair of a
/// 2,000-long chain, and <c>chain-100k-unbound</c>, which stops at the default bound of ten million
/// rows). stdout: <c>name median_ms</c>, then <c>name-peak-heap MB</c> (the managed heap's highest
/// point during one run, above what it held before).
/// </summary>
internal static class RecursiveRuleBench
{
    private const string Schema = "[{:db/ident :next :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]";

    private const string RightLinear = "[[(anc ?x ?y) [?x :next ?y]] [(anc ?x ?y) [?x :next ?t] (anc ?t ?y)]]";

    private const string LeftLinear = "[[(anc ?x ?y) [?x :next ?y]] [(anc ?x ?y) (anc ?x ?t) [?t :next ?y]]]";

    /// <summary>
    /// Right-linear but for a clause after the recursive call, so not the shape the right-linear
    /// shortcut takes: every reached node's own answers are computed, quadratic in what the start reaches.
    /// </summary>
    private const string NonTail = "[[(anc ?x ?y) [?x :next ?y]] [(anc ?x ?y) [?x :next ?t] (anc ?t ?z) [(identity ?z) ?y]]]";

    private const int Length = 100_000;

    private static readonly (string Suffix, int Reached)[] Starts = [("100", 100), ("1k", 1_000), ("10k", 10_000), ("50k", 50_000)];

    public static readonly string[] Names =
    [
        .. Starts.Select(s => $"chain-bound-{s.Suffix}"),
        .. Starts.Select(s => $"chain-left-bound-{s.Suffix}"),
        "chain-nontail-bound-100", "chain-nontail-bound-1k",
        "chain-2k-unbound", "chain-100k-unbound",
    ];

    public static void Run(BenchOptions o)
    {
        Console.Error.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cpus, warmup {o.WarmupMs} ms, {o.Samples} samples x >= {o.BenchMs} ms");
        var chains = new Dictionary<int, Database>();
        Database Chain(int length)
        {
            if (!chains.TryGetValue(length, out var db)) chains[length] = db = Build(length);
            return db;
        }
        foreach (var name in o.Only)
        {
            var (db, query, rules, inputs) = Case(name, Chain);
            object?[] args = [db, EdnReader.Read(rules), .. inputs];
            Func<object?> op = () =>
            {
                try
                {
                    return Datalog.Q(query, args);
                }
                catch (HikeException e) when (e.Code == ErrorCodes.QueryTooLarge)
                {
                    return e.Code;
                }
            };
            var result = op();
            Console.Error.WriteLine($"  {name}: {(result is EdnSet s ? $"{s.Count} rows" : result)}");
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var memory = new PeakMemory();
            BenchTimer.Sink = op();
            memory.Dispose();
            long peak = memory.PeakHeapBytes - before;
            var r = BenchTimer.Run(op, o);
            Console.Error.WriteLine($"  {name}: samples {string.Join(' ', r.SamplesMs.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))} (batch {r.Batch})");
            Console.WriteLine(FormattableString.Invariant($"{name} {r.MedianMs:F3}"));
            Console.WriteLine(FormattableString.Invariant($"{name}-peak-heap {peak / 1e6:F1} MB"));
        }
    }

    private static (Database Db, string Query, string Rules, object?[] Inputs) Case(string name, Func<int, Database> chain)
    {
        const string bound = "[:find ?y :in $ % ?s :where (anc ?s ?y)]";
        const string unbound = "[:find ?x ?y :in $ % :where (anc ?x ?y)]";
        foreach (var (suffix, reached) in Starts)
        {
            long start = Length - reached;
            if (name == $"chain-bound-{suffix}") return (chain(Length), bound, RightLinear, [start]);
            if (name == $"chain-left-bound-{suffix}") return (chain(Length), bound, LeftLinear, [start]);
            if (name == $"chain-nontail-bound-{suffix}") return (chain(Length), bound, NonTail, [start]);
        }
        return name switch
        {
            "chain-2k-unbound" => (chain(2_000), unbound, RightLinear, []),
            "chain-100k-unbound" => (chain(Length), unbound, RightLinear, []),
            _ => throw new ArgumentException($"unknown recursive-rule benchmark {name}; known: {string.Join(' ', Names)}"),
        };
    }

    private static Database Build(int length)
    {
        var tx = new StringBuilder("[");
        for (int i = 1; i < length; i++) tx.Append(CultureInfo.InvariantCulture, $"[:db/add {i} :next {i + 1}]");
        tx.Append(']');
        return Database.Empty(new DatabaseConfig()).DbWith(Schema).DbWith(tx.ToString());
    }
}
