namespace Hike;

/// <summary>
/// Every code a <see cref="HikeException"/> from the engine carries in <see cref="HikeException.Code"/>:
/// Datahike's error keyword without its colon. Compare <c>e.Code</c> with these constants rather than
/// with string literals. Each constant is named after its code (<c>transact/attr-pred</c> →
/// <see cref="TransactAttrPred"/>); the values never change once released.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A malformed transaction: an operation, entity map or tempid Hike cannot read.</summary>
    public const string TransactSyntax = "transact/syntax";

    /// <summary>A transaction names an attribute the schema does not define, or breaks the schema's rules.</summary>
    public const string TransactSchema = "transact/schema";

    /// <summary>A transaction would give two entities the same value of a <c>:db/unique</c> attribute.</summary>
    public const string TransactUnique = "transact/unique";

    /// <summary>An upsert resolves to more than one entity, or conflicts with its tempid.</summary>
    public const string TransactUpsert = "transact/upsert";

    /// <summary>A <c>:db/cas</c> found a value other than the one it expected.</summary>
    public const string TransactCas = "transact/cas";

    /// <summary>A purge on a database without history, or of an entity that does not exist.</summary>
    public const string TransactPurge = "transact/purge";

    /// <summary>A <c>:db/ensure</c> spec is unknown, or an entity lacks its attributes or fails its predicates.</summary>
    public const string TransactEnsure = "transact/ensure";

    /// <summary>An attribute predicate (<c>:db.attr/preds</c>) rejected a value.</summary>
    public const string TransactAttrPred = "transact/attr-pred";

    /// <summary>A <c>:db/txInstant</c> that is not later than the database's last one.</summary>
    public const string TransactTxInstant = "transact/tx-instant";

    /// <summary>A transaction function is unknown or threw.</summary>
    public const string TransactFn = "transact/fn";

    /// <summary>An entity id names no entity.</summary>
    public const string EntityIdMissing = "entity-id/missing";

    /// <summary>Something in an entity-id position is neither a number, a lookup ref nor an ident.</summary>
    public const string EntityIdSyntax = "entity-id/syntax";

    /// <summary>A lookup ref that is not a two-element <c>[attribute value]</c>.</summary>
    public const string LookupRefSyntax = "lookup-ref/syntax";

    /// <summary>A lookup ref whose attribute is not <c>:db/unique</c>.</summary>
    public const string LookupRefUnique = "lookup-ref/unique";

    /// <summary>A database configuration Hike cannot use.</summary>
    public const string ConfigInvalid = "config/invalid";

    /// <summary>The database does not exist.</summary>
    public const string DbMissing = "db/missing";

    /// <summary>The database is open in this process, so it cannot be deleted or created again.</summary>
    public const string DbOpen = "db/open";

    /// <summary>The database already exists.</summary>
    public const string DbExists = "db/exists";

    /// <summary>An operation that needs a current database was given a history, as-of, since or filtered view.</summary>
    public const string DbView = "db/view";

    /// <summary>An operation that needs <c>:keep-history? true</c> on a database without history.</summary>
    public const string DbHistory = "db/history";

    /// <summary>A database value from another database (or connection) was passed where this one's is needed.</summary>
    public const string DbForeign = "db/foreign";

    /// <summary>The writer stopped after a failure it cannot recover from; reconnect once its cause is fixed.</summary>
    public const string DbWriterFailed = "db/writer-failed";

    /// <summary>Another writer changed the store under this one, which stops so that no update is lost.</summary>
    public const string DbWriterConflict = "db/writer-conflict";

    /// <summary>Another writer holds the store's lock.</summary>
    public const string DbWriterLocked = "db/writer-locked";

    /// <summary>The connection has been released.</summary>
    public const string ConnectionReleased = "connection/released";

    /// <summary>Something a connection whose <c>:writer</c> is remote does not do (listening, a three-way merge, forcing a branch).</summary>
    public const string ConnectionRemote = "connection/remote";

    /// <summary>The store failed an operation (I/O error, full or read-only disk, permission).</summary>
    public const string StorageIo = "storage/io";

    /// <summary>Stored data failed its integrity check; thrown as <see cref="CorruptionException"/>.</summary>
    public const string StorageCorrupt = "storage/corrupt";

    /// <summary>The store was written by a newer Hike, in a format this one cannot read.</summary>
    public const string StorageFormat = "storage/format";

    /// <summary>The folder holds a file named <c>config</c> that is not a Hike database's.</summary>
    public const string StorageOccupied = "storage/occupied";

    /// <summary>The store's server cannot compare-and-set, so writing to it would not be protected from a second writer.</summary>
    public const string StorageUnfenced = "storage/unfenced";

    /// <summary>The branch does not exist.</summary>
    public const string BranchMissing = "branch/missing";

    /// <summary>A branch name that cannot be stored.</summary>
    public const string BranchInvalid = "branch/invalid";

    /// <summary>The branch already exists.</summary>
    public const string BranchExists = "branch/exists";

    /// <summary>The default branch cannot be deleted.</summary>
    public const string BranchDefault = "branch/default";

    /// <summary>A branch is not at the commit the caller expected.</summary>
    public const string BranchStaleHead = "branch/stale-head";

    /// <summary>The commit does not exist (never made, or collected).</summary>
    public const string CommitMissing = "commit/missing";

    /// <summary>Something given as a commit is neither a branch keyword nor a commit id.</summary>
    public const string CommitReference = "commit/reference";

    /// <summary>A merge found conflicts no strategy settled; thrown as <see cref="Versioning.MergeConflictException"/>.</summary>
    public const string MergeConflict = "merge/conflict";

    /// <summary>The two sides of a merge have no common ancestor commit.</summary>
    public const string MergeUnrelated = "merge/unrelated";

    /// <summary>A malformed pull pattern.</summary>
    public const string PullSyntax = "pull/syntax";

    /// <summary>A pulled entity does not fit the type asked for (<c>Pull&lt;T&gt;</c>): the message names the attribute and the value.</summary>
    public const string PullResultType = "pull/result-type";

    /// <summary>A malformed query as a whole: not EDN, unknown variables, a bad option.</summary>
    public const string ParserQuery = "parser/query";

    /// <summary>A malformed <c>:find</c> spec.</summary>
    public const string ParserFind = "parser/find";

    /// <summary>A malformed <c>:in</c> binding.</summary>
    public const string ParserIn = "parser/in";

    /// <summary>A malformed <c>:with</c> clause.</summary>
    public const string ParserWith = "parser/with";

    /// <summary>A malformed <c>:where</c> clause.</summary>
    public const string ParserWhere = "parser/where";

    /// <summary>A malformed rule.</summary>
    public const string ParserRules = "parser/rules";

    /// <summary>A query that cannot run: unbound variables, unknown functions or rules.</summary>
    public const string QueryWhere = "query/where";

    /// <summary>A query's inputs do not match its <c>:in</c>.</summary>
    public const string QueryInputs = "query/inputs";

    /// <summary>A query ran past its timeout, or its regular expressions past their time budget.</summary>
    public const string QueryTimeout = "query/timeout";

    /// <summary>A relation a query builds grew past the bound on rows.</summary>
    public const string QueryTooLarge = "query/too-large";

    /// <summary>A query's result does not fit the type asked for (<c>Q&lt;T&gt;</c>, <c>QValue&lt;T&gt;</c>): the message names the column and the value.</summary>
    public const string QueryResultType = "query/result-type";

    /// <summary>A full-text attribute names an analyzer Hike does not know; the message lists the known ones.</summary>
    public const string FulltextAnalyzer = "fulltext/analyzer";

    /// <summary>A full-text search of a history view.</summary>
    public const string FulltextHistory = "fulltext/history";

    /// <summary>A full-text search of an attribute without <c>:db/fulltext true</c>.</summary>
    public const string FulltextNotIndexed = "fulltext/not-indexed";

    /// <summary>A full-text query that is not valid Lucene classic syntax; the message names the position.</summary>
    public const string FulltextSyntax = "fulltext/syntax";

    /// <summary>A full-text query of a kind Hike does not evaluate: fuzzy, range, wildcard other than a trailing <c>*</c>, slop, boost, another field.</summary>
    public const string FulltextUnsupported = "fulltext/unsupported";

    /// <summary>An attribute given to an index range is not defined.</summary>
    public const string IndexRangeAttribute = "index-range/attribute";

    /// <summary>An index name other than <c>:eavt</c>, <c>:aevt</c> or <c>:avet</c>.</summary>
    public const string DatomsIndex = "datoms/index";

    /// <summary>Components of a datoms call that do not fit the index.</summary>
    public const string DatomsComponents = "datoms/components";

    /// <summary>A load cannot continue an interrupted load of the same stream.</summary>
    public const string LoadResume = "load/resume";

    /// <summary>An earlier transaction of a load failed, so the later ones are not run.</summary>
    public const string LoadAborted = "load/aborted";

    /// <summary>A norm Hike cannot apply: a file that is not a map of <c>:tx-data</c> and <c>:tx-fn</c>, a <c>:tx-fn</c> not registered, two norms with one id.</summary>
    public const string NormInvalid = "norm/invalid";

    /// <summary>The norms folder, or its <c>checksums.edn</c>, does not exist.</summary>
    public const string NormMissing = "norm/missing";

    /// <summary>The norm files differ from their checksums in <c>checksums.edn</c>: changed, added or removed.</summary>
    public const string NormChecksum = "norm/checksum";

    /// <summary>A value nested too deeply to compare or store.</summary>
    public const string ValueTooDeep = "value/too-deep";

    /// <summary>A sync's target holds another database, or a copy of a segment the source does not have.</summary>
    public const string SyncDiverged = "sync/diverged";

    /// <summary>CBOR bytes Hike cannot read as a value (malformed, truncated, an unknown tag), or a value CBOR cannot carry.</summary>
    public const string CborInvalid = "cbor/invalid";

    /// <summary>A path given to a Datahike dump import is neither a dump directory with a <c>manifest.edn</c> nor a legacy CBOR dump file.</summary>
    public const string ImportNotADump = "import/not-a-dump";

    /// <summary>A Datahike dump whose format version is newer than Hike reads (it reads version 1).</summary>
    public const string ImportUnsupportedFormatVersion = "import/unsupported-format-version";

    /// <summary>A Datahike dump compressed with a codec other than <c>:gzip</c> or <c>:none</c>.</summary>
    public const string ImportUnsupportedCompression = "import/unsupported-compression";

    /// <summary>A Datahike dump's manifest names a chunk file that is not a <c>datoms-NNNNNN.cbor[.gz]</c> name in the dump's folder.</summary>
    public const string ImportBadChunkPath = "import/bad-chunk-path";

    /// <summary>A Datahike dump's manifest gives no SHA-256 for a chunk.</summary>
    public const string ImportMissingChecksum = "import/missing-checksum";

    /// <summary>A chunk file a Datahike dump's manifest names is not there.</summary>
    public const string ImportMissingChunk = "import/missing-chunk";

    /// <summary>A Datahike dump chunk's SHA-256 differs from its manifest's: the chunk is damaged.</summary>
    public const string ImportChecksumFailed = "import/checksum-failed";

    /// <summary>A Datahike dump chunk (or legacy file) that does not decompress or decode into records <c>[e a v t added]</c>, or holds another count than its manifest says.</summary>
    public const string ImportCorruptChunk = "import/corrupt-chunk";

    /// <summary>A Datahike dump that holds fewer records than its source database had, with no transform to explain it.</summary>
    public const string ImportIncompleteDump = "import/incomplete-dump";

    /// <summary>A Datahike dump's source config differs from the target's in <c>:keep-history?</c> or <c>:schema-flexibility</c>.</summary>
    public const string ImportConfigMismatch = "import/config-mismatch";

    /// <summary>A Datahike dump import into a database that already holds transactions.</summary>
    public const string ImportNonEmptyTarget = "import/non-empty-target";

    /// <summary>Malformed EDN text; thrown as <see cref="Edn.EdnSyntaxException"/>.</summary>
    public const string EdnSyntax = "edn/syntax";
}
