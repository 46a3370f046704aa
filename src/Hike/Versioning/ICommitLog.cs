using Hike.Db;
using Hike.Edn;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// A database's commits and branch heads: in a durable store (<see cref="StoredCommitLog"/>) or in memory
/// (<see cref="MemoryCommitLog"/>). Reads are thread-safe; commits and head changes come from the
/// database's single writer.
/// </summary>
internal interface ICommitLog : IDisposable
{
    /// <summary>True when commits reach a disk (and are worth gathering transactions for).</summary>
    bool IsDurable { get; }

    /// <summary>The store the log keeps its objects in, for reading them as they are stored; null in memory.</summary>
    IKeyValueStore? Objects { get; }

    /// <summary>
    /// Records a new database's configuration with the log; false when the log holds a database
    /// already. A log in memory keeps no configuration (its registry does) and returns true.
    /// </summary>
    bool TryCreate(EdnMap config);

    /// <summary>Makes this process the only one that may write; null when the log lives in this process alone.</summary>
    IDisposable? AcquireWriterLock();

    /// <summary>The branches listed (a listed branch exists when it also has a head; a crash can leave one without).</summary>
    IReadOnlySet<Keyword> ReadBranches();

    /// <summary>The id of the newest commit <paramref name="branch"/>'s head names, or null when it has none. Cheap.</summary>
    Guid? HeadId(Keyword branch);

    /// <summary>The head of <paramref name="branch"/> as of now, or null when it has none. One small read; loading its state is up to the caller.</summary>
    BranchTip? ReadTip(Keyword branch);

    /// <summary>
    /// Whether a head is worth loading ahead of its first use: reads are round trips (a server), so a
    /// branch opened by a reader starts loading the head it found while its first use checks the head again.
    /// </summary>
    bool LoadsAhead { get; }

    /// <summary>The commit with id <paramref name="id"/>, or null when it is not stored (never made, or collected).</summary>
    CommitInfo? FindCommit(Guid id);

    /// <summary>The parents of <paramref name="commit"/> that are still stored, in its order.</summary>
    IReadOnlyList<CommitInfo> ParentsOf(CommitInfo commit);

    /// <summary>The state <paramref name="commit"/> stored.</summary>
    DbState LoadCommit(CommitInfo commit, DbOptions options);

    /// <summary>Builds commit <paramref name="info"/> of <paramref name="state"/> for <see cref="Persist"/>.</summary>
    PreparedCommit Prepare(DbState state, CommitInfo info);

    /// <summary>Writes a prepared commit and moves <paramref name="branch"/> to it (creating the branch on its first commit).</summary>
    void Persist(PreparedCommit commit, Keyword branch);

    /// <summary>Called (on a thread of the pool) when upkeep of a secondary index that <see cref="Prepare"/> started apart (a merge) has finished.</summary>
    Action? SecondaryUpkeepDone { get; set; }

    /// <summary><paramref name="indexes"/> with upkeep finished apart put in place where it still fits (<see cref="ISecondaryIndexUpkeep.WithFinished"/>). Writer thread only.</summary>
    SecondaryIndexes WithFinishedUpkeep(SecondaryIndexes indexes);

    /// <summary>
    /// Points <paramref name="branch"/> at the existing commit <paramref name="commit"/>. With
    /// <paramref name="create"/> the branch must not exist yet (else <c>branch/exists</c>); without, it must.
    /// </summary>
    void SetHead(Keyword branch, CommitInfo commit, bool create);

    /// <summary>Removes <paramref name="branch"/> and its head; its commits stay until garbage collection.</summary>
    void DeleteBranch(Keyword branch);

    /// <summary>Forgets what this process knows of the heads, after another writer may have moved them.</summary>
    void ForgetHeads();

    /// <summary>
    /// Starts garbage collection: keeps every head, and the commits made at or after
    /// <paramref name="removeBefore"/> reachable from them through their parents, with what they
    /// reach. Called by the writer between commits; returns the rest of the work, which deletes
    /// what is not kept and returns how many objects (in memory: commits) it deleted. That work may
    /// run on another thread while commits go on: what they write is never touched.
    /// </summary>
    Func<CancellationToken, int> StartCollection(DateTime removeBefore);
}
