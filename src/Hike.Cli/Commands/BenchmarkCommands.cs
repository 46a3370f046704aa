using System.Diagnostics;
using System.Globalization;
using Hike.Edn;

namespace Hike.Cli.Commands;

/// <summary><c>benchmark</c>, dthk's write benchmark: synthetic datoms transacted in batches, each batch timed.</summary>
internal static class BenchmarkCommands
{
    /// <summary>The names dthk's benchmark samples from.</summary>
    private static readonly string[] Names = ["Chrislain", "Christian", "Jiayi", "Judith", "Konrad", "Pablo", "Timo", "Wade"];

    /// <summary>The most datoms one benchmark transaction takes (a batch is built in memory).</summary>
    private const long MaxBatch = 1_000_000;

    public static readonly CommandSpec[] Specs =
    [
        new("benchmark", "Time writes as dthk's benchmark does: transact [:db/add e :name random-name] for e from FROM+1 to TO, BATCH datoms per transaction, printing each transaction's time (the database needs a :name attribute, or :schema-flexibility :read). Example: benchmark conn:config.edn 0 100000 1000", ["conn:CONFIG", "FROM", "TO", "BATCH"], BenchmarkAsync),
    ];

    /// <summary>
    /// dthk's <c>benchmark</c>: synthetic <c>[:db/add e :name name]</c> datoms in transactions of BATCH, each
    /// transaction's time printed as Clojure's <c>time</c> prints it, then a summary.
    /// </summary>
    private static async Task BenchmarkAsync(CommandRun run)
    {
        run.AtMost(4);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        long from = Count(run, 1, "FROM", 0);
        long to = Count(run, 2, "TO", from);
        long batch = Count(run, 3, "BATCH", 1);
        if (batch > MaxBatch) throw CliErrors.Argument($"benchmark's BATCH must be at most {MaxBatch:N0} datoms, got {batch}");
        var name = Keyword.Intern("name");
        var add = Keyword.Intern("db/add");
        var total = Stopwatch.StartNew();
        long transactions = 0;
        // DATAHIKE: dthk partitions with Clojure's partition, which drops a last, short batch; every datom is written here.
        for (long start = from; start < to; start += batch)
        {
            long end = Math.Min(start + batch, to);
            var data = new List<object?>((int)(end - start));
            for (long i = start; i < end; i++) data.Add(EdnVector.Create(add, i + 1, name, Names[Random.Shared.Next(Names.Length)]));
            var watch = Stopwatch.StartNew();
            await WriteCommands.WithWriterLock(run, () => connection.TransactAsync(data, cancellationToken: run.Cancellation)).ConfigureAwait(false);
            run.Result.WriteText(FormattableString.Invariant($"\"Elapsed time: {watch.Elapsed.TotalMilliseconds:0.######} msecs\""));
            transactions++;
        }
        double seconds = total.Elapsed.TotalSeconds;
        run.Result.Write(EdnMap.Of(
            Keyword.Intern("transactions"), transactions,
            Keyword.Intern("datoms"), to - from,
            Keyword.Intern("msecs"), Math.Round(seconds * 1000, 3),
            Keyword.Intern("datoms-per-sec"), seconds > 0 ? Math.Round((to - from) / seconds) : 0.0));
    }

    private static long Count(CommandRun run, int index, string name, long atLeast)
    {
        string text = run.Arg(index, $"{name}, a whole number");
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n >= atLeast
            ? n
            : throw CliErrors.Argument($"benchmark's {name} must be a whole number of at least {atLeast}, got {text}");
    }
}
