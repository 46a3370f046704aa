using System.Globalization;
using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Commands;

/// <summary>
/// <c>query</c>, <c>query-stats</c>, <c>explain</c>: the query comes first, then its inputs in the
/// order of <c>:in</c> — databases (several <c>db:</c> arguments join several databases), values.
/// </summary>
internal static class QueryCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("query", "Run a Datalog query on its inputs. Example: query '[:find ?n :in $ ?age :where [?e :age ?age] [?e :name ?n]]' db:config.edn 42", ["query", "inputs..."], QueryAsync) { Aliases = ["q"] },
        new("query-stats", "Run a query and print {:ret result, :count n, :elapsed-ms t, :plan [clause lines]}. Example: query-stats '[:find ?e :where [?e :name]]' db:config.edn", ["query", "inputs..."], StatsAsync),
        new("explain", "Run a query and print the plan it ran, one line per clause. Example: explain '[:find ?e :where [?e :name \"Ann\"]]' db:config.edn", ["query", "inputs..."], ExplainAsync),
    ];

    private static Task QueryAsync(CommandRun run)
    {
        var request = Prepare(run);
        run.Result.Write(Datalog.Q(request), FindColumns(request.Query));
        return Task.CompletedTask;
    }

    private static Task StatsAsync(CommandRun run)
    {
        run.Result.Write(Datalog.QueryStats(Prepare(run)).ToEdn());
        return Task.CompletedTask;
    }

    private static Task ExplainAsync(CommandRun run)
    {
        run.Result.WriteText(Datalog.Explain(Prepare(run)));
        return Task.CompletedTask;
    }

    /// <summary>The query and its inputs, stopped by Ctrl-C and bounded by <c>--timeout</c> and <c>--max-rows</c>.</summary>
    private static QueryRequest Prepare(CommandRun run)
    {
        var query = run.Resolver.Value(run.Arg(0, "a query"), "a query") ?? throw CliErrors.Argument("The query is nil");
        return new QueryRequest(query, [.. run.Rest(1).Select(run.Resolver.Resolve)])
        {
            Timeout = run.Options.QueryTimeout,
            MaxRows = run.Options.QueryMaxRows,
            CancellationToken = run.Cancellation,
        };
    }

    /// <summary>The find elements of a query, as the table's column names.</summary>
    private static IReadOnlyList<string>? FindColumns(object? query)
    {
        var find = Keyword.Intern("find");
        IEnumerable<object?>? elements = query switch
        {
            EdnMap map when map.Get(find) is IEnumerable<object?> listed => listed,
            EdnVector vector => vector.SkipWhile(x => !ReferenceEquals(x, find)).Skip(1).TakeWhile(x => x is not Keyword),
            _ => null,
        };
        if (elements is null) return null;
        var columns = new List<string>();
        foreach (var element in elements)
        {
            // [:find [?a ?b]] and [:find [?a ...]] name the columns inside.
            if (element is EdnVector inner) columns.AddRange(inner.Where(x => x is not Symbol { Name: "..." }).Select(x => EdnPrinter.Print(x)));
            else if (element is not Symbol { Name: "." }) columns.Add(EdnPrinter.Print(element));
        }
        return columns.Count == 0 ? null : columns;
    }
}
