using Hike.Api;
using Hike.Cli.Inputs;
using Hike.Cli.Output;

namespace Hike.Cli.Commands;

/// <summary><c>create-database</c>, <c>delete-database</c>, <c>database-exists</c>, <c>recover</c>, <c>sync</c>: CONFIG is a config file, <c>edn:FILE</c> or an inline map.</summary>
internal static class DatabaseCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("create-database", "Create the database a config describes and print its config (with the store id it got). Example: create-database config.edn", ["config"], CreateAsync),
        new("delete-database", "Delete the database a config describes; prints whether it existed. Example: delete-database config.edn", ["config"], DeleteAsync),
        new("database-exists", "Print whether the database a config describes exists. Example: database-exists config.edn", ["config"], ExistsAsync),
        new("sync", "Copy a database to another store, of any backend: only what the target lacks, branch heads last, so a sync cut short is finished by running it again. Prints {:objects n, :bytes n, :branches [...]}; a progress line on a terminal. Example: sync file.edn s3.edn --branch :db", ["from-config", "to-config"], SyncAsync),
        new("recover", "Check a durable database; with --apply, set each damaged branch to its newest commit that reads whole. Prints each branch's state, what it would drop, and the store's damaged parts. Example: recover config.edn --apply", ["config"], RecoverAsync),
    ];

    private static async Task CreateAsync(CommandRun run)
    {
        run.AtMost(1);
        var config = ArgumentResolver.Config(run.Arg(0, "a config"));
        await Database.CreateAsync(config, run.Cancellation).ConfigureAwait(false);
        using var connection = await Database.ConnectAsync(config, run.Cancellation).ConfigureAwait(false);
        run.Result.Write(connection.Config.ToEdn());
        if (config.Store.Backend.FullName == "mem" && config.RemotePeer is null)
        {
            await run.Errors.WriteLineAsync("hike: warning: a :mem database lives in this process only, and is gone when this command ends; use :file (or another store) to keep it").ConfigureAwait(false);
        }
    }

    private static async Task DeleteAsync(CommandRun run)
    {
        run.AtMost(1);
        run.Result.Write(await Database.DeleteAsync(ArgumentResolver.Config(run.Arg(0, "a config")), run.Cancellation).ConfigureAwait(false));
    }

    private static async Task RecoverAsync(CommandRun run)
    {
        run.AtMost(1);
        var report = await Database.RecoverAsync(ArgumentResolver.Config(run.Arg(0, "a config")), run.Options.Apply, run.Cancellation).ConfigureAwait(false);
        run.Result.Write(CliValues.Of(report));
    }

    private static async Task SyncAsync(CommandRun run)
    {
        run.AtMost(2);
        var from = ArgumentResolver.Config(run.Arg(0, "the config of the database to copy"));
        var to = ArgumentResolver.Config(run.Arg(1, "the config of the store to copy it to"));
        var branch = run.Options.Branch is { } name ? Edn.Keyword.Intern(name.TrimStart(':')) : null;
        // A progress line on a terminal, rewritten in place; nothing when stderr goes to a file or pipe.
        var progress = Console.IsErrorRedirected ? null : new Progress<Versioning.SyncProgress>(p =>
            run.Errors.Write($"\rsync: {p.Done}/{p.Total} segments, {p.Bytes / (1 << 20)} MiB copied"));
        var report = await Database.SyncAsync(from, to, branch, progress, run.Cancellation).ConfigureAwait(false);
        if (progress is not null) run.Errors.WriteLine();
        run.Result.Write(Edn.EdnMap.Create([
            new(Edn.Keyword.Intern("objects"), (long)report.Objects),
            new(Edn.Keyword.Intern("bytes"), report.Bytes),
            new(Edn.Keyword.Intern("branches"), Edn.EdnVector.From(report.Branches)),
        ]));
    }

    private static async Task ExistsAsync(CommandRun run)
    {
        run.AtMost(1);
        run.Result.Write(await Database.ExistsAsync(ArgumentResolver.Config(run.Arg(0, "a config")), run.Cancellation).ConfigureAwait(false));
    }
}
