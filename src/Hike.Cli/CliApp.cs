using System.CommandLine;
using Hike.Cli.Commands;
using Hike.Cli.Output;

namespace Hike.Cli;

/// <summary>
/// The <c>hike</c> command line: dthk's commands, argument prefixes and config files, with Hike's
/// output formats. Results go to standard output; errors are one line on standard error and exit 1
/// (130 when Ctrl-C interrupted the command).
/// </summary>
internal static class CliApp
{
    /// <summary>The exit code of a command stopped by Ctrl-C (SIGINT) or SIGTERM: 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;

    public static readonly IReadOnlyList<CommandSpec> Commands =
    [
        .. DatabaseCommands.Specs,
        .. WriteCommands.Specs,
        .. BenchmarkCommands.Specs,
        .. QueryCommands.Specs,
        .. ReadCommands.Specs,
        .. BranchCommands.Specs,
        .. DatomStreamCommands.Specs,
        .. ServeCommands.Specs,
        .. NormsCommands.Specs,
    ];

    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter errors)
    {
        // `hike help [command]` is `hike [command] --help`.
        if (args is ["help", .. var asked])
        {
            if (asked is [var word, ..] && !Commands.Any(c => c.Name == word || c.Aliases.Contains(word)))
            {
                errors.WriteLine(UnknownCommand(word));
                return 1;
            }
            args = [.. asked.Take(1), "--help"];
        }
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output format: edn (default, as Datahike prints), json, pprint or table",
            DefaultValueFactory = _ => "edn",
            Recursive = true,
        };
        var inputFormat = new Option<string>("--input-format", "-if")
        {
            Description = "Format of transaction data given as text or on standard input: edn (default) or json",
            DefaultValueFactory = _ => "edn",
            Recursive = true,
        };
        var txFile = new Option<string?>("--tx-file")
        {
            Description = "Read the transaction data from this file (transact)",
            Recursive = true,
        };
        var lockTimeout = new Option<double>("--lock-timeout")
        {
            Description = "Seconds a write waits for another process's writer lock (default 60)",
            DefaultValueFactory = _ => 60,
            Recursive = true,
        };
        var apply = new Option<bool>("--apply")
        {
            Description = "recover: set damaged branches to their newest whole commit (without it, recover only reports)",
            Recursive = true,
        };
        var branch = new Option<string?>("--branch")
        {
            Description = "sync: copy only this branch (a keyword, e.g. :staging; default every branch)",
            Recursive = true,
        };
        var highlight = new Option<bool>("--highlight")
        {
            Description = "search: add a column with each value's matched words marked <b>…</b>",
            Recursive = true,
        };
        var verbose = new Option<bool>("--verbose", "-v")
        {
            Description = "On failure, print the full error to standard error",
            Recursive = true,
        };
        var timeout = new Option<long?>("--timeout")
        {
            Description = "Milliseconds a query (query, query-stats, explain) may run before it fails with query/timeout (default: the database's :query-timeout-ms, else none)",
            Recursive = true,
        };
        var maxRows = new Option<long?>("--max-rows")
        {
            Description = "The most rows any relation a query builds may hold before it fails with query/too-large (default: the database's :query-max-rows, else 10000000)",
            Recursive = true,
        };
        var serverConfig = new Option<string?>("--config")
        {
            Description = "serve: the server's config file (EDN, Datahike's server keys: {:port 4444 :host \"127.0.0.1\" :token \"…\" …})",
            Recursive = true,
        };
        var port = new Option<int?>("--port")
        {
            Description = "serve: the port to listen on (over --config and HIKE_PORT)",
            Recursive = true,
        };
        var host = new Option<string?>("--host")
        {
            Description = "serve: the address to listen on (over --config and HIKE_HOST); other than loopback, the server needs a token",
            Recursive = true,
        };
        var root = new RootCommand(
            "hike: the command line of the Hike Datalog database, compatible with Datahike's dthk.\n\n" +
            "Databases are given as db:CONFIG (the current value), conn:CONFIG (a connection, to write), history:CONFIG, " +
            "asof:TIME:CONFIG, since:TIME:CONFIG (TIME: epoch milliseconds, an ISO-8601 instant or tx:N), branch:NAME:CONFIG " +
            "or commit:UUID:CONFIG, where CONFIG is a Datahike config file or an inline EDN map. edn:FILE, json:FILE and cbor:FILE " +
            "read a value from a file; other arguments are EDN values.");
        foreach (var option in new Option[] { format, inputFormat, txFile, lockTimeout, verbose, timeout, maxRows, apply, branch, highlight, serverConfig, port, host }) root.Options.Add(option);
        int exit = 0;
        foreach (var spec in Commands)
        {
            var arguments = new Argument<string[]>("arguments") { Arity = ArgumentArity.ZeroOrMore, HelpName = string.Join(' ', spec.Arguments) };
            var command = new Command(spec.Name, spec.Description);
            foreach (var alias in spec.Aliases) command.Aliases.Add(alias);
            command.Arguments.Add(arguments);
            command.SetAction(async (parse, cancellation) =>
            {
                bool isVerbose = parse.GetValue(verbose);
                try
                {
                    var options = new CliOptions(
                        ResultWriter.ParseFormat(parse.GetValue(format)),
                        parse.GetValue(inputFormat) ?? "edn",
                        parse.GetValue(txFile),
                        TimeSpan.FromSeconds(parse.GetValue(lockTimeout)),
                        isVerbose)
                    {
                        QueryTimeout = parse.GetValue(timeout) is { } ms ? TimeSpan.FromMilliseconds(ms > 0 ? ms : throw CliErrors.Argument($"--timeout must be a positive number of milliseconds, got {ms}")) : null,
                        QueryMaxRows = parse.GetValue(maxRows) is { } rows ? (rows > 0 ? rows : throw CliErrors.Argument($"--max-rows must be a positive number of rows, got {rows}")) : null,
                        Apply = parse.GetValue(apply),
                        Branch = parse.GetValue(branch),
                        Highlight = parse.GetValue(highlight),
                        ServerConfigFile = parse.GetValue(serverConfig),
                        Port = parse.GetValue(port),
                        Host = parse.GetValue(host),
                    };
                    using var run = new CommandRun(spec.Name, parse.GetValue(arguments) ?? [], options, input, output, errors, cancellation);
                    await spec.Run(run).ConfigureAwait(false);
                    exit = 0;
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    // Ctrl-C or SIGTERM: what was running stopped; say so in one line, with the shell's code for an interrupt.
                    errors.WriteLine($"hike: interrupted [{CliErrorCodes.CliInterrupted}]");
                    exit = Interrupted;
                }
                catch (OutOfMemoryException e)
                {
                    // Whatever asked for the memory is gone with the stack; the message needs little.
                    errors.WriteLine($"hike: out of memory; a query can be bounded with --max-rows or --timeout [{CliErrorCodes.CliOutOfMemory}]");
                    if (isVerbose) errors.WriteLine(e.ToString());
                    exit = 1;
                }
                catch (Exception e)
                {
                    errors.WriteLine(Describe(e));
                    if (isVerbose) errors.WriteLine(e.ToString());
                    exit = 1;
                }
                return exit;
            });
            root.Subcommands.Add(command);
        }
        var result = root.Parse(args);
        if (result.Errors.Count > 0 && result.CommandResult.Command == root && result.UnmatchedTokens.Count > 0)
        {
            // A word that names no command: said once, with the command it most likely meant.
            errors.WriteLine(UnknownCommand(result.UnmatchedTokens[0]));
            return 1;
        }
        if (result.Errors.Count > 0)
        {
            // One line, on standard error: standard output carries results only.
            // An unknown command also leaves the root without one: name the unknown word, not that.
            var messages = result.Errors.Select(e => e.Message).ToList();
            if (messages.Count > 1) messages.RemoveAll(m => m.StartsWith("Required command", StringComparison.Ordinal));
            errors.WriteLine($"hike: {string.Join("; ", messages)} (hike --help lists the commands) [{CliErrorCodes.CliUsage}]".ReplaceLineEndings(" "));
            return 1;
        }
        return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors }).ConfigureAwait(false);
    }

    private static string UnknownCommand(string word) =>
        $"hike: unknown command {word}{Suggestion(word)} (hike --help lists the commands) [{CliErrorCodes.CliUsage}]";

    /// <summary><c>; did you mean query?</c> when a command's name (or alias) is at most two edits from <paramref name="word"/>, else nothing.</summary>
    private static string Suggestion(string word)
    {
        var (name, distance) = Commands.SelectMany(c => c.Aliases.Prepend(c.Name)).Append("help")
            .Select(n => (Name: n, Distance: EditDistance(word, n)))
            .MinBy(c => c.Distance);
        return distance <= Math.Min(2, Math.Max(1, word.Length / 3)) ? $"; did you mean {name}?" : "";
    }

    /// <summary>Levenshtein's distance, with a swap of two neighbours counting one (qeury → query).</summary>
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    /// <summary>The one line a failure prints: what went wrong and its code.</summary>
    public static string Describe(Exception e)
    {
        var message = e switch
        {
            HikeException h => $"{h.Message} [{h.Code}]",
            AggregateException { InnerException: { } inner } => Describe(inner),
            _ => $"{e.Message} [{e.GetType().Name}]",
        };
        return "hike: " + message.ReplaceLineEndings(" ");
    }
}
