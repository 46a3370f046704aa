using Hike.Api;
using Hike.Edn;
using Hike.Versioning;

namespace Hike.Cli.Commands;

/// <summary>Branches: list, create, delete, merge commits, and Hike's three-way merge.</summary>
internal static class BranchCommands
{
    private static readonly Keyword ParentsKey = Keyword.Intern("parents");
    private static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    private static readonly Keyword TxMetaKey = Keyword.Intern("tx-meta");

    public static readonly CommandSpec[] Specs =
    [
        new("branches", "Print the database's branches. Example: branches db:config.edn", ["db:CONFIG"], BranchesAsync),
        new("branch", "Create a branch at another branch's head or at a commit. Example: branch conn:config.edn :db :staging", ["conn:CONFIG", "from (branch or commit id)", "new-branch"], BranchAsync),
        new("delete-branch", "Delete a branch (not the default one). Example: delete-branch conn:config.edn :staging", ["conn:CONFIG", "branch"], DeleteAsync),
        new("merge-db", "Transact data in a merge commit whose parents are the head and the given branches or commits. Example: merge-db conn:config.edn '{:parents #{:staging} :tx-data [...]}'", ["conn:CONFIG", "{:parents #{...} :tx-data [...] :tx-meta {...}}"], MergeDbAsync),
        new("merge-branch", "Merge a branch three-way into the connection's branch; conflicts fail unless a strategy (ours or theirs) settles them. Example: merge-branch conn:config.edn :staging theirs", ["conn:CONFIG", "source", "[ours|theirs]"], MergeBranchAsync),
    ];

    private static async Task BranchesAsync(CommandRun run)
    {
        run.AtMost(1);
        var connection = run.Resolver.Connection(run.Arg(0, "a database"));
        run.Result.Write(EdnSet.Create(await connection.GetBranchesAsync(run.Cancellation).ConfigureAwait(false)));
    }

    private static async Task BranchAsync(CommandRun run)
    {
        run.AtMost(3);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var from = Reference(run, run.Arg(1, "the branch or commit to branch from"));
        var name = Branch(run, run.Arg(2, "the new branch's name"));
        await WriteCommands.WithWriterLock(run, async () =>
        {
            await connection.BranchAsync(from, name, run.Cancellation).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        run.Result.Write(name);
    }

    private static async Task DeleteAsync(CommandRun run)
    {
        run.AtMost(2);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var name = Branch(run, run.Arg(1, "the branch to delete"));
        await WriteCommands.WithWriterLock(run, async () =>
        {
            await connection.DeleteBranchAsync(name, run.Cancellation).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
        run.Result.Write(name);
    }

    private static async Task MergeDbAsync(CommandRun run)
    {
        run.AtMost(2);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var args = run.Resolver.Value(run.Arg(1, "{:parents ... :tx-data ...}"), "a merge map") as EdnMap
            ?? throw CliErrors.Argument($"merge-db needs a map {{:parents #{{...}} :tx-data [...]}}, got {run.Arguments[1]}");
        var parents = (args.Get(ParentsKey) as IEnumerable<object?> ?? throw CliErrors.Argument(":parents should be a set of branches or commit ids"))
            .Select(p => p ?? throw CliErrors.Argument(":parents holds nil")).ToList();
        var report = await WriteCommands.WithWriterLock(run, () => connection.MergeAsync(parents, args.Get(TxDataKey) ?? EdnVector.Empty, args.Get(TxMetaKey), run.Cancellation)).ConfigureAwait(false);
        run.Result.Write(EdnMap.Of(Keyword.Intern("tx"), report.Tx, Keyword.Intern("commit-id"), report.DbAfter.CommitId));
    }

    private static async Task MergeBranchAsync(CommandRun run)
    {
        run.AtMost(3);
        var connection = run.Resolver.Connection(run.Arg(0, "a connection conn:CONFIG"));
        var source = Reference(run, run.Arg(1, "the branch or commit to merge"));
        var strategy = run.OptionalArg(2) switch
        {
            null => null,
            "ours" or ":ours" => MergeStrategy.Ours,
            "theirs" or ":theirs" => MergeStrategy.Theirs,
            var other => throw CliErrors.Argument($"Unknown merge strategy {other}; use ours or theirs"),
        };
        var report = await WriteCommands.WithWriterLock(run, () => connection.MergeBranchAsync(source, strategy, cancellationToken: run.Cancellation)).ConfigureAwait(false);
        run.Result.Write(report is null ? null : EdnMap.Of(Keyword.Intern("tx"), report.Tx, Keyword.Intern("commit-id"), report.DbAfter.CommitId));
    }

    /// <summary>A branch keyword (<c>:staging</c>, or <c>staging</c>) or a commit id (a UUID, or <c>#uuid "..."</c>).</summary>
    private static object Reference(CommandRun run, string text)
    {
        if (Guid.TryParse(text, out var id)) return id;
        return run.Resolver.Value(text.StartsWith(':') || text.StartsWith('#') ? text : ":" + text, "a branch or commit id") switch
        {
            Keyword k => k,
            Guid g => g,
            var other => throw CliErrors.Argument($"Expected a branch name or a commit id, got {EdnPrinter.Print(other)}"),
        };
    }

    private static Keyword Branch(CommandRun run, string text) =>
        Reference(run, text) as Keyword ?? throw CliErrors.Argument($"Expected a branch name, got {text}");
}
