namespace Hike.Api;

public sealed partial class Connection
{
    /// <summary>
    /// Datahike's <c>import-db</c>: loads a dump written by Datahike's <c>datahike.migrate/export-db</c>
    /// (a directory holding <c>manifest.edn</c> and <c>datoms-NNNNNN.cbor[.gz]</c> chunks), or an old
    /// single-file CBOR dump, into this database through <see cref="LoadEntitiesAsync"/>: one
    /// transaction per source transaction, entity ids renumbered, instants and transaction metadata kept.
    /// <para>
    /// Before anything is written the whole dump is read once: the manifest's format version (1), every
    /// chunk's presence, SHA-256 (over its uncompressed bytes, as Datahike takes it) and record count, and
    /// every record's shape. A dump that fails any check is a <see cref="HikeException"/> with an
    /// <c>import/*</c> code naming the file (<c>import/checksum-failed</c>, <c>import/missing-chunk</c>,
    /// <c>import/corrupt-chunk</c>, <c>import/unsupported-format-version</c>, …) and nothing is imported.
    /// As Datahike, the target must be empty (<c>import/non-empty-target</c>) and have the source's
    /// <c>:keep-history?</c> and <c>:schema-flexibility</c> (<c>import/config-mismatch</c>); an
    /// interrupted import is redone into a new database. Reads the dump twice, holding one chunk at a time.
    /// </para>
    /// </summary>
    public async Task<LoadReport> ImportDatahikeDumpAsync(string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        EnsureOpen();
        var dump = DatahikeDump.Open(path);
        dump.CheckTarget(Db);
        await Task.Run(() => dump.Verify(cancellationToken), cancellationToken).ConfigureAwait(false);
        return await LoadEntitiesAsync(dump.Records(), progress, cancellationToken).ConfigureAwait(false);
    }
}
