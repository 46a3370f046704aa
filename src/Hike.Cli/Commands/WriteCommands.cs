using Hike.Api;
using Hike.Cli.Inputs;
using Hike.Edn;

namespace Hike.Cli.Commands;

/// <summary><c>transact</c> and <c>gc-storage</c>: writes through <c>conn:CONFIG</c>, waiting for another process's writer lock; <c>with</c>, the same data applied to a value and not written.</summary>
internal static class WriteCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("transact", "Transact data (EDN, or JSON with --input-format json) given as an argument, edn:FILE/json:FILE, --tx-file PATH or on standard input; prints the report as Datahike prints it: {:db-before …, :db-after …, :tx-data [...], :tempids {...}, :tx-meta …}. Example: transact conn:config.edn '[{:name \"Alice\"}]'", ["conn:CONFIG", "[tx-data]"], TransactAsync),
        new("with", "Apply transaction data (as transact takes it) to a database value without committing it, and print the report as Datahike prints it: {:db-before …, :db-after …, :tx-data [...], :tempids {...}, :tx-meta …}. Example: with db:config.edn '[{:name \"Alice\"}]'", ["db:CONFIG", "[tx-data]"], WithAsync),
        new("db-with", "Apply transaction data (as transact takes it) to a database value without committing it, and print the resulting database: #datahike/DB {:max-tx …, :max-eid …}. Example: db-with db:config.edn '[{:name \"Alice\"}]'", ["db:CONFIG", "[tx-data]"], DbWithAsync),
        new("gc-storage", "Delete what no branch head, and no commit made at or after TIME, reaches (TIME defaults to keeping all history); prints the number of objects deleted. Example: gc-storage conn:config.edn 1735689600000", ["conn:CONFIG", "[TIME]"], GcAsync),
    ];

    private static async Task TransactAsync(CommandRun run)
    {
        run.AtMost(2);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var data = TxData(run);
        run.Result.Write(await WithWriterLock(run, () => connection.TransactAsync(data, cancellationToken: run.Cancellation)).ConfigureAwait(false));
    }

    /// <summary>dthk's <c>with</c>: the report of the transaction on the database value, nothing written.</summary>
    private static Task WithAsync(CommandRun run)
    {
        run.AtMost(2);
        var db = run.Resolver.Database(run.Arg(0, "a database db:CONFIG"));
        run.Result.Write(db.With(TxData(run)));
        return Task.CompletedTask;
    }

    /// <summary>Datahike's <c>db-with</c>: the database the transaction data makes of the value, nothing written.</summary>
    private static Task DbWithAsync(CommandRun run)
    {
        run.AtMost(2);
        var db = run.Resolver.Database(run.Arg(0, "a database db:CONFIG"));
        run.Result.Write(db.DbWith(TxData(run)));
        return Task.CompletedTask;
    }

    private static async Task GcAsync(CommandRun run)
    {
        run.AtMost(2);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var before = run.OptionalArg(1) is { } time ? TimePoint.Parse(time).Instant ?? throw CliErrors.Argument("gc-storage takes a time, not a transaction id") : DateTime.UnixEpoch;
        run.Result.Write((long)await WithWriterLock(run, () => connection.GcStorageAsync(before, run.Cancellation)).ConfigureAwait(false));
    }

    /// <summary>The transaction data: the argument, the --tx-file, or standard input.</summary>
    private static object? TxData(CommandRun run)
    {
        bool json = run.Options.InputFormat.Equals("json", StringComparison.OrdinalIgnoreCase);
        if (!json && !run.Options.InputFormat.Equals("edn", StringComparison.OrdinalIgnoreCase))
        {
            throw CliErrors.Format($"Unknown input format {run.Options.InputFormat}; use edn or json");
        }
        if (run.OptionalArg(1) is { } given)
        {
            if (run.Options.TxFile is not null) throw CliErrors.Argument("Give the transaction data either as an argument or with --tx-file, not both");
            return json && !given.StartsWith("edn:", StringComparison.Ordinal) && !given.StartsWith("json:", StringComparison.Ordinal)
                ? JsonValues.Parse(given, "the transaction argument")
                : run.Resolver.Value(given, "transaction data");
        }
        string text;
        string source;
        if (run.Options.TxFile is { } path)
        {
            text = StrictUtf8.ReadFile(path);
            source = path;
        }
        else
        {
            text = run.Input.ReadToEnd();
            source = "standard input";
        }
        if (string.IsNullOrWhiteSpace(text)) throw CliErrors.Argument($"No transaction data: {source} is empty");
        return json ? JsonValues.Parse(text, source) : EdnReader.Read(text);
    }

    /// <summary>
    /// Runs a write, retrying while another process holds the database's writer lock (each hike
    /// process writes only briefly) until --lock-timeout has passed.
    /// </summary>
    public static async Task<T> WithWriterLock<T>(CommandRun run, Func<Task<T>> write)
    {
        var deadline = DateTime.UtcNow + run.Options.LockTimeout;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return await write().ConfigureAwait(false);
            }
            catch (HikeException e) when (e.Code == ErrorCodes.DbWriterLocked && DateTime.UtcNow < deadline)
            {
                await Task.Delay(pause + TimeSpan.FromMilliseconds(Random.Shared.Next(10)), run.Cancellation).ConfigureAwait(false);
                pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
            }
        }
    }
}
