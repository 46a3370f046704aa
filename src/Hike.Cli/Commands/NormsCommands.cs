using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Commands;

/// <summary><c>norms ensure|verify|update-checksums</c>: schema migrations from a folder of norm files, as Datahike's <c>datahike.norm</c>.</summary>
internal static class NormsCommands
{
    public static readonly CommandSpec[] Specs =
    [
        new("norms",
            "Schema migrations (Datahike's norms) from a folder of *.edn files {:tx-data [...] :tx-fn sym}: " +
            "'norms ensure conn:CONFIG FOLDER' applies, in the order of their file names, each norm the database has not applied and prints their ids; " +
            "'norms verify FOLDER' checks the files against FOLDER/checksums.edn and prints the ids; " +
            "'norms update-checksums FOLDER' rewrites checksums.edn and prints it. Example: norms ensure conn:config.edn migrations",
            ["ensure|verify|update-checksums", "[conn:CONFIG]", "FOLDER"],
            RunAsync),
    ];

    private static Task RunAsync(CommandRun run) => run.Arg(0, "ensure, verify or update-checksums") switch
    {
        "ensure" => EnsureAsync(run),
        "verify" => Verify(run),
        "update-checksums" => UpdateChecksums(run),
        var other => throw CliErrors.Argument($"Unknown norms command {other}; use ensure, verify or update-checksums"),
    };

    private static async Task EnsureAsync(CommandRun run)
    {
        run.AtMost(3);
        var connection = run.Resolver.Connection(run.Arg(1, "a connection conn:CONFIG"));
        string folder = run.Arg(2, "the norms folder");
        var applied = await WriteCommands.WithWriterLock(run, () => Norms.EnsureNormsAsync(connection, folder, run.Cancellation)).ConfigureAwait(false);
        run.Result.Write(EdnVector.From(applied));
    }

    private static Task Verify(CommandRun run)
    {
        run.AtMost(2);
        string folder = run.Arg(1, "the norms folder");
        Norms.VerifyChecksums(folder);
        run.Result.Write(EdnVector.From(Norms.ReadFolder(folder).Select(n => n.Id)));
        return Task.CompletedTask;
    }

    private static Task UpdateChecksums(CommandRun run)
    {
        run.AtMost(2);
        run.Result.Write(Norms.UpdateChecksums(run.Arg(1, "the norms folder")));
        return Task.CompletedTask;
    }
}
