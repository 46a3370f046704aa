using System.Runtime.CompilerServices;
using Hike.Db;
using Hike.Edn;
using Hike.Versioning;

namespace Hike.Api;

public sealed partial class Connection
{
    /// <summary>The database's branches (Datahike's <c>branches</c>).</summary>
    public Task<IReadOnlySet<Keyword>> GetBranchesAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_runtime.Branches());
    }

    /// <summary>
    /// Creates branch <paramref name="newBranch"/> at <paramref name="from"/>: a branch name
    /// (<see cref="Keyword"/>, or its text with or without the colon) or a commit id (<see cref="Guid"/>, or its text). Nothing is copied — the new head
    /// names the same commit — so this takes the same time on any size of database. Fails with
    /// <c>branch/exists</c>, <c>branch/missing</c> or <c>commit/missing</c>.
    /// </summary>
    public Task BranchAsync(object from, Keyword newBranch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(newBranch);
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.CreateBranchAsync(newBranch, BranchNames.Reference(from));
    }

    /// <summary>
    /// As <see cref="BranchAsync(object, Keyword, CancellationToken)"/>, naming the new branch by its text with or
    /// without the colon: <c>conn.BranchAsync("db", "feature")</c>.
    /// </summary>
    public Task BranchAsync(object from, string newBranch, CancellationToken cancellationToken = default) =>
        BranchAsync(from, BranchNames.Of(newBranch), cancellationToken);

    /// <summary>
    /// Deletes branch <paramref name="branch"/>; its commits stay readable by id until garbage
    /// collection reclaims what no other branch reaches. The default branch cannot be deleted
    /// (<c>branch/default</c>); connections to a deleted branch fail with <c>branch/missing</c>.
    /// </summary>
    public Task DeleteBranchAsync(Keyword branch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        return _writer.DeleteBranchAsync(branch);
    }

    /// <summary>As <see cref="DeleteBranchAsync(Keyword, CancellationToken)"/>, naming the branch by its text with or without the colon.</summary>
    public Task DeleteBranchAsync(string branch, CancellationToken cancellationToken = default) =>
        DeleteBranchAsync(BranchNames.Of(branch), cancellationToken);

    /// <summary>
    /// Transacts <paramref name="txData"/> on this connection's branch in a merge commit whose parents
    /// are the branch head and <paramref name="parents"/> (branch names or commit ids, as keywords, GUIDs or their text), as Datahike's
    /// <c>merge!</c>: the caller chooses the data to bring over. See <see cref="MergeBranchAsync"/> for
    /// a merge that computes it.
    /// </summary>
    public async Task<TxReport> MergeAsync(IEnumerable<object> parents, object? txData, object? txMeta = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parents);
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        var references = BranchNames.References(parents);
        var (data, meta) = TxInput.Parse(txData, txMeta);
        return ReportOf(await _writer.MergeAsync(Branch, references, data, meta, Config.Functions, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Merges branch (or commit) <paramref name="source"/> — a <see cref="Keyword"/>, a <see cref="Guid"/>, or
    /// the text of either (<c>"feature"</c>, <c>":feature"</c>) — into this connection's branch, three-way:
    /// finds the newest common ancestor commit, computes both sides' changes since it with
    /// <see cref="Database.Diff"/>, applies their changes here in one transaction (with
    /// <paramref name="txMeta"/>) and records a merge commit with both heads as parents. Entities
    /// created on their side get new ids here. Conflicts — a cardinality-one attribute changed to
    /// different values on both sides, a unique value claimed by different entities, an attribute or
    /// entity retracted on one side and changed on the other — throw <see cref="MergeConflictException"/>
    /// listing them, and nothing is committed, unless <paramref name="strategy"/> settles them.
    /// Returns null when <paramref name="source"/> is already part of this branch's history.
    /// </summary>
    public async Task<TxReport?> MergeBranchAsync(object source, MergeStrategy? strategy = null, object? txMeta = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        EnsureOpen();
        cancellationToken.ThrowIfCancellationRequested();
        var meta = TxInput.Parse(null, txMeta).Meta;
        var merged = await _writer.MergeBranchAsync(Branch, BranchNames.Reference(source), strategy, meta, Config.Functions, cancellationToken).ConfigureAwait(false);
        return merged is null ? null : ReportOf(merged);
    }

    /// <summary>The database as commit <paramref name="commitId"/> stored it; <c>commit/missing</c> when no branch reaches it.</summary>
    public Task<Database> CommitAsDbAsync(Guid commitId, CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        return Task.Run(() => DatabaseOf(Load(_runtime.Log.FindCommit(commitId) ?? throw Errors.CommitMissing(commitId))), cancellationToken);
    }

    /// <summary>The database at the head of <paramref name="branch"/>; <c>branch/missing</c> when there is none.</summary>
    public Task<Database> BranchAsDbAsync(Keyword branch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(branch);
        EnsureOpen();
        return Task.Run(() => DatabaseOf(_runtime.Branch(branch).Head), cancellationToken);
    }

    /// <summary>As <see cref="BranchAsDbAsync(Keyword, CancellationToken)"/>, naming the branch by its text with or without the colon.</summary>
    public Task<Database> BranchAsDbAsync(string branch, CancellationToken cancellationToken = default) =>
        BranchAsDbAsync(BranchNames.Of(branch), cancellationToken);

    /// <summary>
    /// The history of <paramref name="branch"/> (this connection's branch when null): the database of
    /// its head commit and of every commit it descends from through all parents, newest first, each
    /// once. Commits garbage collection removed end the walk.
    /// </summary>
    public async IAsyncEnumerable<Database> BranchHistory(Keyword? branch = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        var head = await BranchAsDbAsync(branch ?? Branch.Name, cancellationToken).ConfigureAwait(false);
        foreach (var commit in CommitDag.Walk(_runtime.Log, [head.State.Commit!]))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return commit.Id == head.State.Commit!.Id ? head : DatabaseOf(Load(commit));
        }
    }

    /// <summary>As <see cref="BranchHistory(Keyword, CancellationToken)"/>, naming the branch by its text with or without the colon.</summary>
    public IAsyncEnumerable<Database> BranchHistory(string branch, CancellationToken cancellationToken = default) =>
        BranchHistory(BranchNames.Of(branch), cancellationToken);

    /// <summary>
    /// The commit graph as a database, to query with Datalog next to application data: one entity per
    /// commit reachable from a branch head, with <c>:hike.commit/id</c>, <c>/parents</c> (refs),
    /// <c>/instant</c>, <c>/tx-instant</c>, <c>/max-tx</c>, <c>/tx-first</c> and <c>/tx-last</c> (the
    /// transactions it added over its first parent), <c>/branches</c> (the branches whose history holds
    /// it), <c>/head-of</c> and <c>/txs</c> (one entity per transaction: <c>:hike.tx/id</c>,
    /// <c>:hike.tx/instant</c> and the transaction's metadata attributes); and one entity per branch
    /// with <c>:hike.branch/name</c> and <c>:hike.branch/head</c>. It reads every commit.
    /// </summary>
    public Task<Database> CommitGraphAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        return Task.Run(() =>
        {
            var heads = new Dictionary<Keyword, DbState>();
            foreach (var name in _runtime.Branches()) heads[name] = _runtime.Branch(name).Head;
            var tx = CommitGraph.TxData(_runtime.Log, heads, commit => Load(commit), cancellationToken);
            var graph = Database.Empty(new DatabaseConfig { SchemaFlexibility = SchemaFlexibility.Read }).DbWith(CommitGraph.Schema);
            return tx.Count == 0 ? graph : graph.DbWith(tx);
        }, cancellationToken);
    }

    private DbState Load(CommitInfo commit) => _runtime.LoadCommit(commit);
}
