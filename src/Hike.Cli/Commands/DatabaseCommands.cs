using Hike.Api;
using Hike.Cli.Inputs;
using Hike.Cli.Output;

namespace Hike.Cli.Commands;

/// <summary><c>create-database</c>, <c>delete-database</c>, <c>database-exists</c>, <c>recover</c>: CONFIG is a config file, <c>edn:FILE</c> or an inline map.</summary>
internal static class DatabaseCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("create-database", "Create the database a config describes and print its config (with the store id it got). Example: create-database config.edn", ["config"], CreateAsync),
        new("delete-database", "Delete the database a config describes; prints whether it existed. Example: delete-database config.edn", ["config"], DeleteAsync),
        new("database-exists", "Print whether the database a config describes exists. Example: database-exists config.edn", ["config"], ExistsAsync),
        new("recover", "Check a durable database; with --apply, set each damaged branch to its newest commit that reads whole. Prints each branch's state, what it would drop, and the store's damaged parts. Example: recover config.edn --apply", ["config"], RecoverAsync),
    ];

    private static async Task CreateAsync(CommandRun run)
    {
        run.AtMost(1);
        var config = ArgumentResolver.Config(run.Arg(0, "a config"));
        await Database.CreateAsync(config, run.Cancellation).ConfigureAwait(false);
        using var connection = await Database.ConnectAsync(config, run.Cancellation).ConfigureAwait(false);
        run.Result.Write(connection.Config.ToEdn());
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

    private static async Task ExistsAsync(CommandRun run)
    {
        run.AtMost(1);
        run.Result.Write(await Database.ExistsAsync(ArgumentResolver.Config(run.Arg(0, "a config")), run.Cancellation).ConfigureAwait(false));
    }
}
