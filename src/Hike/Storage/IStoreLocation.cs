namespace Hike.Storage;

/// <summary>
/// Where one durable store lives, as its backend read it from a configuration: a folder, a bucket and
/// prefix, a table. Opens the store, and names it in messages and in the process's registry of open
/// databases. Neither name ever holds a credential.
/// </summary>
internal interface IStoreLocation
{
    /// <summary>
    /// Identifies the store in this process: two configurations that name the same store give the same
    /// key (a folder's full path; a server, bucket or table and a prefix).
    /// </summary>
    string Key { get; }

    /// <summary>The store as messages name it, e.g. <c>:file "/data/db"</c> or <c>:s3 "bucket/db"</c>.</summary>
    string Description { get; }

    /// <summary>
    /// False when there is certainly no store there (no folder, no table): connecting then fails
    /// with <c>db/missing</c> without creating anything. True when there may be one; the store's
    /// keys decide.
    /// </summary>
    bool MayExist();

    /// <summary>Opens the store; creates its container (folder, table, bucket) when it has none.</summary>
    IKeyValueStore Open();

    /// <summary>
    /// Called after a database's own keys were deleted from <paramref name="store"/>: removes what
    /// opening the store made for them (the folders named by <paramref name="keyFolders"/>, the
    /// store's folder) where nothing else is left. Never removes what another program put there.
    /// </summary>
    void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders);
}
