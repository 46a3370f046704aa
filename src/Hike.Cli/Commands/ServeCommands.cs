using Hike.Edn;
using Hike.Server;

namespace Hike.Cli.Commands;

/// <summary><c>serve</c>: Datahike's HTTP API for every database the clients connect to, until Ctrl-C or SIGTERM.</summary>
internal static class ServeCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("serve", "Serve Datahike's HTTP API (/connect, /transact, /q, … in Datahike's tagged JSON) until Ctrl-C; prints {:url \"http://…\"} once listening. Example: serve --config server.edn --port 4444", [], ServeAsync),
    ];

    private static async Task ServeAsync(CommandRun run)
    {
        run.AtMost(0);
        var config = ServerConfig.Load(run.Options.ServerConfigFile, Environment.GetEnvironmentVariable);
        if (run.Options.Port is { } port) config = config with { Port = port };
        if (run.Options.Host is { } host) config = config with { Host = host };
        await using var server = await HikeServer.StartAsync(config, run.Cancellation).ConfigureAwait(false);
        run.Result.Write(EdnMap.Of(Keyword.Intern("url"), server.Urls.First()));
        try
        {
            await Task.Delay(Timeout.Infinite, run.Cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM is how a server is meant to stop: it drains, releases its connections and exits 0.
        }
        await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
