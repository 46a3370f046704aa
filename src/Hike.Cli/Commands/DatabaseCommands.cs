using Hike.Api;
using Hike.Cli.Inputs;

namespace Hike.Cli.Commands;

/// <summary><c>create-database</c>, <c>delete-database</c>, <c>database-exists</c>: CONFIG is a config file, <c>edn:FILE</c> or an inline map.</summary>
internal static class DatabaseCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("create-database", "Create the database a config describes and print its config (with the store id it got). Example: create-database config.edn", ["config"], CreateAsync),
        new("delete-database", "Delete the database a config describes; prints whether it existed. Example: delete-database config.edn", ["config"], DeleteAsync),
        new("database-exists", "Print whether the database a config describes exists. Example: database-exists config.edn", ["config"], ExistsAsync),
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

    private static async Task ExistsAsync(CommandRun run)
    {
        run.AtMost(1);
        run.Result.Write(await Database.ExistsAsync(ArgumentResolver.Config(run.Arg(0, "a config")), run.Cancellation).ConfigureAwait(false));
    }
}
