using Hike.Edn;

namespace Hike;

/// <summary>
/// Builds every <see cref="HikeException"/> the engine throws, so codes and wording stay consistent
/// (Datahike's error keywords; messages name the offending attribute, value or clause).
/// </summary>
internal static class Errors
{
    /// <summary>The most characters of a value a message shows: enough to recognise it, never megabytes.</summary>
    public const int ShowLimit = 200;

    /// <summary>
    /// A value as EDN for a message, cut to <see cref="ShowLimit"/> characters ("…" and how much was
    /// left out follow a cut). Costs O(<see cref="ShowLimit"/>) for any value but a huge number.
    /// </summary>
    public static string Show(object? value)
    {
        string text = EdnPrinter.PrintPrefix(value, ShowLimit, out bool truncated);
        if (!truncated) return text;
        return value is string s ? $"{text}… ({EdnPrinter.PrintedLength(s) - text.Length} more characters)" : $"{text}… (truncated)";
    }

    public static HikeException TxSyntax(string message) => new(ErrorCodes.TransactSyntax, message);

    public static HikeException TupleWrite(object op) => TxSyntax($"Can't modify tuple attrs directly: {Show(op)}");

    public static HikeException TxSchema(string message) => new(ErrorCodes.TransactSchema, message);

    public static HikeException Unique(string message) => new(ErrorCodes.TransactUnique, message);

    public static HikeException Upsert(string message) => new(ErrorCodes.TransactUpsert, message);

    public static HikeException Cas(string message) => new(ErrorCodes.TransactCas, message);

    public static HikeException Purge(string message) => new(ErrorCodes.TransactPurge, message);

    public static HikeException Ensure(string message) => new(ErrorCodes.TransactEnsure, message);

    public static HikeException AttrPred(string message, Exception? inner = null) => new(ErrorCodes.TransactAttrPred, message, inner);

    public static HikeException TxInstant(string message) => new(ErrorCodes.TransactTxInstant, message);

    public static HikeException TxFunction(string message, Exception? inner = null) => new(ErrorCodes.TransactFn, message, inner);

    public static HikeException EntityIdMissing(object? eid) => new(ErrorCodes.EntityIdMissing, $"Nothing found for entity id {Show(eid)}");

    public static HikeException EntityIdSyntax(object? eid) =>
        new(ErrorCodes.EntityIdSyntax, $"Expected number, lookup ref or ident for entity id, got {Show(eid)}");

    public static HikeException LookupRefSyntax(object? lookupRef) =>
        new(ErrorCodes.LookupRefSyntax, $"Lookup ref should contain 2 elements: {Show(lookupRef)}");

    public static HikeException LookupRefUnique(object? lookupRef) =>
        new(ErrorCodes.LookupRefUnique, $"Lookup ref attribute should be marked as :db/unique: {Show(lookupRef)}");

    public static HikeException UnknownAttribute(Keyword attribute, string context) =>
        new(ErrorCodes.TransactSchema, $"Bad entity attribute {attribute} at {context}, not defined in current schema");

    public static HikeException Config(string message) => new(ErrorCodes.ConfigInvalid, message);

    public static HikeException DatabaseMissing(string what) => new(ErrorCodes.DbMissing, $"Database {what} does not exist");

    public static HikeException DatabaseOpen(string what) =>
        new(ErrorCodes.DbOpen, $"Database {what} is open in this process; release its connections first");

    public static HikeException DatabaseExists(string what) => new(ErrorCodes.DbExists, $"Database {what} already exists");

    public static HikeException WriterFailed(Exception cause) =>
        new(ErrorCodes.DbWriterFailed, $"The database's writer stopped after a failure it cannot recover from; reconnect once its cause is fixed: {cause.Message}", cause);

    /// <summary>The store failed an operation (I/O error, full or read-only disk, permission); <paramref name="what"/> names it and its key.</summary>
    public static HikeException StorageIo(string what, Exception inner) => new(ErrorCodes.StorageIo, $"Storage failed {what}: {inner.Message}", inner);

    public static HikeException StoreFormat(int found, int known) =>
        new(ErrorCodes.StorageFormat, $"The store is in format {found}, written by a newer Hike; this one reads formats up to {known}");

    public static HikeException StoreOccupied(string what) =>
        new(ErrorCodes.StorageOccupied, $"{what} holds a file named config that is not a Hike database's; create the database in another folder");

    /// <summary><paramref name="what"/> names the store: an <c>:s3</c> store's bucket and id.</summary>
    public static HikeException StorageUnfenced(string what) =>
        new(ErrorCodes.StorageUnfenced, $"{what} cannot be written: its server cannot compare-and-set (it ignores conditional writes), so a second writer could overwrite this one's commits. " +
            "Name a :head-store (a :jdbc or :redis store) that keeps the heads and the writer lease, or set :fencing :none to write without that protection");

    public static HikeException WriterConflict(string key) =>
        new(ErrorCodes.DbWriterConflict, $"Another writer changed {key} of this database; this writer stops so that no update is lost");

    /// <summary><paramref name="what"/> names the store, e.g. <c>Store folder /data/db</c>.</summary>
    public static HikeException WriterLocked(string what, Exception? inner = null) =>
        new(ErrorCodes.DbWriterLocked, $"{what} is locked: another writer holds it", inner);

    public static HikeException SyncDiverged(string target, string why) =>
        new(ErrorCodes.SyncDiverged, $"Cannot sync into {target}: {why}; its branch heads were left as they were");

    public static HikeException BranchMissing(Edn.Keyword branch) => new(ErrorCodes.BranchMissing, $"Branch {Show(branch)} does not exist");

    public static HikeException BranchInvalid(string name, string why) => new(ErrorCodes.BranchInvalid, $"Branch name {Show(name)} cannot be stored: {why}");

    public static HikeException BranchExists(Edn.Keyword branch) => new(ErrorCodes.BranchExists, $"Branch {Show(branch)} already exists");

    public static HikeException DefaultBranch(Edn.Keyword branch) => new(ErrorCodes.BranchDefault, $"Branch {Show(branch)} is the default branch and cannot be deleted");

    public static HikeException StaleHead(Edn.Keyword branch, Guid expected, Guid? actual) =>
        new(ErrorCodes.BranchStaleHead, $"Branch {Show(branch)} is at commit {actual?.ToString() ?? "none"}, not the expected {expected}");

    public static HikeException CommitMissing(Guid id) => new(ErrorCodes.CommitMissing, $"Commit {id} does not exist (never made, or collected)");

    public static HikeException NoCommonAncestor(Edn.Keyword branch, object source) =>
        new(ErrorCodes.MergeUnrelated, $"Branch {Show(branch)} and {Show(source)} have no common ancestor commit");

    public static HikeException CommitRef(object? reference) =>
        new(ErrorCodes.CommitReference, $"Expected a branch keyword or a commit id (Guid), got {Show(reference)}");

    public static HikeException ForeignDatabase(string operation) =>
        new(ErrorCodes.DbForeign, $"{operation} needs a database value read from a connection to this database (or derived from one with With)");

    public static HikeException ConnectionReleased() => new(ErrorCodes.ConnectionReleased, "The connection has been released");

    public static HikeException ConnectionRemote(string operation) =>
        new(ErrorCodes.ConnectionRemote, $"{operation} is not done through a server (:writer or :remote-peer); use a connection with the store's own writer");

    public static HikeException Pull(string message, Exception? inner = null) => new(ErrorCodes.PullSyntax, message, inner);

    public static HikeException FullTextHistory(Keyword attribute) =>
        new(ErrorCodes.FulltextHistory, $"Full-text search of {attribute} needs a database value, not its history: a search matches values, not assertions and retractions (search an AsOf view instead)");

    public static HikeException FullTextNotIndexed(Keyword attribute) =>
        new(ErrorCodes.FulltextNotIndexed, $"{attribute} is not a full-text attribute: give it :db/fulltext true to search it");

    public static HikeException FullTextAnalyzer(Keyword name, IReadOnlyList<string> known) =>
        new(ErrorCodes.FulltextAnalyzer, $"Unknown full-text analyzer {name}; known analyzers: {string.Join(", ", known.Select(n => ":" + n))}");

    /// <summary>A full-text query Lucene's classic parser rejects; <paramref name="detail"/> is its message, which names the line and column.</summary>
    public static HikeException FullTextSyntax(string query, int? column, string detail, Exception inner) =>
        new(ErrorCodes.FulltextSyntax, column is { } c
            ? $"Cannot parse full-text query {Show(query)} at column {c}: {detail}"
            : $"Cannot parse full-text query {Show(query)}: {detail}", inner);

    public static HikeException FullTextUnsupported(string query, string what) =>
        new(ErrorCodes.FulltextUnsupported, $"Full-text query {Show(query)} uses {what}, which Hike does not support (terms, +must, -not, AND/OR/NOT, \"phrases\", prefix* and grouping are)");

    /// <summary>A malformed query; <paramref name="code"/> is the <c>parser/…</c> code of the part at fault, e.g. <see cref="ErrorCodes.ParserFind"/>.</summary>
    public static HikeException Parser(string code, string message, Exception? inner = null) => new(code, message, inner);

    /// <summary>A query that cannot run: unbound variables, unknown functions or rules, bad inputs.</summary>
    public static HikeException QueryWhere(string message, Exception? inner = null) => new(ErrorCodes.QueryWhere, message, inner);

    public static HikeException QueryInputs(string message) => new(ErrorCodes.QueryInputs, message);

    public static HikeException QueryResultType(string message) => new(ErrorCodes.QueryResultType, message);

    public static HikeException PullResultType(string message) => new(ErrorCodes.PullResultType, message);

    public static HikeException Insufficient(IEnumerable<Edn.Symbol> missing, object clause) =>
        QueryWhere($"Insufficient bindings: {string.Join(", ", missing)} not bound in {Show(clause)}");

    /// <summary>A query stopped at its timeout; <paramref name="step"/> is the clause (or find spec) it was running.</summary>
    public static HikeException QueryTimeout(TimeSpan timeout, object? step) =>
        new(ErrorCodes.QueryTimeout, $"Query timed out after {timeout.TotalMilliseconds:0.###} ms{During(step)}");

    /// <summary>
    /// A relation of a query grew past the bound on rows: <paramref name="rows"/> is its size when known
    /// up front (a product), else one more than <paramref name="bound"/>; <paramref name="step"/> is the
    /// clause (or find spec) building it.
    /// </summary>
    public static HikeException QueryTooLarge(object? step, long rows, int bound) =>
        new(ErrorCodes.QueryTooLarge, $"Query too large: {(step is null ? "a relation" : Describe(step))} would hold {(rows > bound + 1L ? rows.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more than " + bound)} rows, over the bound of {bound} rows on any relation a query builds (:max-rows in the query, :query-max-rows in the config)");

    /// <summary>The regular expressions of a query without a timeout used up their shared time budget.</summary>
    public static HikeException RegexBudget(string fn, TimeSpan budget, object? step) =>
        new(ErrorCodes.QueryTimeout, $"{fn}: the regular expressions of this query ran for their whole budget of {budget.TotalMilliseconds:0.###} ms{During(step)}");

    /// <summary>A load cannot continue an interrupted load of the same stream: the database does not hold what that load wrote.</summary>
    public static HikeException LoadResume(string message) => new(ErrorCodes.LoadResume, message);

    private static string During(object? step) => step is null ? "" : " in " + Describe(step);

    private static string Describe(object step) => step is Query.Syntax.Clause c ? Show(c.Form) : step.ToString() ?? "";

    /// <summary>A value nested deeper than <paramref name="operation"/> (e.g. <c>compare</c>, <c>store</c>) can follow.</summary>
    public static HikeException NestedTooDeep(string operation, string? detail = null) =>
        new(ErrorCodes.ValueTooDeep, $"Value is nested too deeply to {operation}{(detail is null ? "" : ": " + detail)}");

    /// <summary>A tempid in the entity position of an operation other than <c>:db/add</c> (Datahike's message).</summary>
    public static HikeException TempidOutsideAdd(object op) =>
        TxSyntax($"Can't use tempid in '{Show(op)}'. Tempids are allowed in :db/add only");

    /// <summary>The one place a failed integrity check becomes the storage layer's corruption report.</summary>
    public static CorruptionException Corrupt(string key, string reason) => new(key, reason);

    public static Versioning.MergeConflictException MergeConflict(IReadOnlyList<Versioning.MergeConflict> conflicts) => new(conflicts);

    /// <summary><paramref name="operation"/> (e.g. <c>With</c>, <c>Diff</c>) was given a history, as-of, since or filtered view.</summary>
    public static HikeException NotCurrent(string operation) =>
        new(ErrorCodes.DbView, $"{operation} needs a current database, not a history, as-of, since or filtered view");

    public static HikeException NoHistory(string operation) => new(ErrorCodes.DbHistory, $"{operation} needs a database with :keep-history? true");

    public static HikeException IndexRangeAttribute(Keyword attribute) => new(ErrorCodes.IndexRangeAttribute, $"Attribute {attribute} is not defined");

    public static HikeException DatomsIndex(Keyword index) => new(ErrorCodes.DatomsIndex, $"Unknown index {index}, expected :eavt, :aevt or :avet");

    public static HikeException DatomsComponents(string message) => new(ErrorCodes.DatomsComponents, message);

    public static HikeException LoadAborted() => new(ErrorCodes.LoadAborted, "An earlier transaction of the load failed");

    /// <summary>A norm that cannot be applied; <paramref name="message"/> names its file or id.</summary>
    public static HikeException NormInvalid(string message) => new(ErrorCodes.NormInvalid, message);

    /// <summary>The norms folder or checksums file <paramref name="path"/> does not exist.</summary>
    public static HikeException NormMissing(string path) => new(ErrorCodes.NormMissing, $"{path} does not exist");

    /// <summary>Datahike's "Deviation of the checksums found", naming each file that deviates in <paramref name="deviations"/>.</summary>
    public static HikeException NormChecksum(string folder, string deviations) =>
        new(ErrorCodes.NormChecksum, $"Deviation of the checksums found in {folder}: {deviations}. Migration aborted; run update-checksums if the change is intended");

    /// <summary>CBOR that does not read as a value, or a value with no CBOR form; <paramref name="message"/> says what and where.</summary>
    public static HikeException CborInvalid(string message) => new(ErrorCodes.CborInvalid, $"Invalid CBOR: {message}");

    public static HikeException ImportNotADump(string path, string why) =>
        new(ErrorCodes.ImportNotADump, $"Not a Datahike dump: {path} {why}. A dump is a directory holding manifest.edn and datoms-NNNNNN.cbor[.gz] chunks (or an old single-file CBOR dump)");

    public static HikeException ImportUnsupportedFormatVersion(string manifest, object? version, long supported) =>
        new(ErrorCodes.ImportUnsupportedFormatVersion, $"{manifest}: dump format version {Show(version)} is newer than Hike reads ({supported}); reading it under the older rules would misread it");

    public static HikeException ImportUnsupportedCompression(string manifest, object? codec) =>
        new(ErrorCodes.ImportUnsupportedCompression, $"{manifest}: the dump is compressed with {Show(codec)}, which Hike does not read (it reads :gzip and :none)");

    public static HikeException ImportBadChunkPath(string manifest, object? file) =>
        new(ErrorCodes.ImportBadChunkPath, $"{manifest} names a chunk Hike will not read: {Show(file)} (expected datoms-NNNNNN.cbor or datoms-NNNNNN.cbor.gz)");

    public static HikeException ImportMissingChecksum(string manifest, string file) =>
        new(ErrorCodes.ImportMissingChecksum, $"{manifest} has no :sha256 for chunk {file}; a chunk with no declared hash is refused");

    public static HikeException ImportMissingChunk(string path) =>
        new(ErrorCodes.ImportMissingChunk, $"Chunk {path} named by the dump's manifest does not exist; nothing was imported");

    public static HikeException ImportChecksumFailed(string path, string expected, string actual) =>
        new(ErrorCodes.ImportChecksumFailed, $"Chunk {path} is damaged: its SHA-256 is {actual}, the manifest says {expected}; nothing was imported");

    public static HikeException ImportCorruptChunk(string path, string message) =>
        new(ErrorCodes.ImportCorruptChunk, $"Chunk {path} is corrupt: {message}; nothing was imported");

    public static HikeException ImportIncompleteDump(string manifest, long written, long source) =>
        new(ErrorCodes.ImportIncompleteDump, $"{manifest}: the dump holds {written} records but its source database held {source}, and no transform explains the {source - written} missing; nothing was imported");

    public static HikeException ImportConfigMismatch(string manifest, Keyword key, object? dump, object? target) =>
        new(ErrorCodes.ImportConfigMismatch, $"{manifest}: the dump was written from a database with {key} {Show(dump)}, the target has {Show(target)}; create the target with {key} {Show(dump)}");

    public static HikeException ImportNonEmptyTarget(long transactions) =>
        new(ErrorCodes.ImportNonEmptyTarget, $"The target database is not empty ({transactions} transaction(s)); a dump is imported into a new, empty database (recreate it and import again)");

    /// <summary><paramref name="cause"/> told again with where it happened: same code, <paramref name="message"/>, the cause as inner exception.</summary>
    public static HikeException InContext(HikeException cause, string message) => new(cause.Code, message, cause);
}
