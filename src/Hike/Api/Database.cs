using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;
using Hike.Transactions;
using Hike.Writing;

namespace Hike.Api;

/// <summary>
/// An immutable database value: the current database of a connection, a past or filtered view of
/// one, or the result of <see cref="With"/>. Holding one costs nothing and it never changes; reads
/// (datoms, pull, entities, queries) are synchronous and thread-safe.
/// </summary>
public sealed partial class Database : IEdnPrintable
{
    internal Database(DbView view, FunctionRegistry? functions, Query.QueryLimits? queryLimits = null)
    {
        View = view;
        Functions = functions;
        QueryLimits = queryLimits ?? Query.QueryLimits.Default;
    }

    internal DbView View { get; }

    internal FunctionRegistry? Functions { get; }

    /// <summary>The limits a query over this database runs under unless it sets its own (from <see cref="DatabaseConfig"/>).</summary>
    internal Query.QueryLimits QueryLimits { get; }

    internal DbState State => View.State;

    /// <summary>
    /// The id of the commit that stored this database (a time-ordered UUID), or null for a value that
    /// was never committed on its own: a <see cref="With"/> result, or a transaction that went into one
    /// commit together with transactions queued after it.
    /// </summary>
    public Guid? CommitId => State.Commit?.Id;

    /// <summary>The ids of the commits this database's commit was made on top of (empty for the first, or when uncommitted).</summary>
    public IReadOnlyList<Guid> ParentCommitIds => State.Commit?.Parents ?? [];

    /// <summary>The highest entity id in use.</summary>
    public long MaxEid => State.MaxEid;

    /// <summary>The id of the last transaction (536870912 when there is none).</summary>
    public long MaxTx => State.MaxTx;

    /// <summary>True for a history view, whose reads include retractions.</summary>
    public bool IsHistory => View.IsHistory;

    /// <summary>The transaction this view is as of, or null.</summary>
    public long? AsOfTx => View.HasAsOf ? View.AsOfTx : null;

    /// <summary>The transaction this view is since (<see cref="Since(long)"/>; only later ones are shown), or null.</summary>
    public long? SinceTx => View.HasSince ? View.SinceTx : null;

    /// <summary>True when this database (or a view it was made from) was made by <see cref="Filter"/> (Datahike's <c>is-filtered</c>).</summary>
    public bool IsFiltered => View.Filter is not null;

    /// <summary>Whether this database keeps history (<c>:keep-history?</c>).</summary>
    public bool KeepsHistory => State.Options.KeepHistory;

    /// <summary>
    /// Every assertion and retraction ever made, as datoms with <see cref="Datom.Added"/> telling which.
    /// Requires <c>:keep-history? true</c>.
    /// </summary>
    public Database History()
    {
        RequireHistory("History");
        return new(View.AsHistory(), Functions, QueryLimits);
    }

    /// <summary>The database as it was right after transaction <paramref name="tx"/> (including it, as Datahike).</summary>
    public Database AsOf(long tx)
    {
        RequireHistory("AsOf");
        return new(View.AsOf(tx), Functions, QueryLimits);
    }

    /// <summary>
    /// The database as it was at <paramref name="instant"/>: the transactions whose <c>:db/txInstant</c>
    /// is at or before it (as Datahike, whose as-of always includes the time point).
    /// </summary>
    public Database AsOf(DateTime instant) => AsOf(LastTxAt(instant));

    /// <summary>
    /// Only the current datoms asserted by transactions after <paramref name="tx"/> (excluding it, as
    /// Datahike's since, the complement of <see cref="AsOf(long)"/>).
    /// </summary>
    public Database Since(long tx)
    {
        RequireHistory("Since");
        return new(View.Since(tx), Functions, QueryLimits);
    }

    /// <summary>
    /// Only the current datoms asserted by transactions whose <c>:db/txInstant</c> is after
    /// <paramref name="instant"/> (strictly, the complement of <see cref="AsOf(DateTime)"/>).
    /// </summary>
    public Database Since(DateTime instant) => Since(LastTxAt(instant));

    /// <summary>
    /// A view with only the datoms for which <paramref name="predicate"/>(unfiltered database, datom)
    /// holds. The predicate runs on every datom read, so keep it cheap.
    /// </summary>
    public Database Filter(Func<Database, Datom, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var unfiltered = this;
        var schema = State.Schema;
        return new(View.Filtered(d => predicate(unfiltered, ToDatom(schema, d))), Functions, QueryLimits);
    }

    /// <summary>
    /// Applies <paramref name="txData"/> to this database without a connection and returns the report;
    /// nothing is stored. <paramref name="txData"/> is EDN text or a sequence of entity maps and operations.
    /// </summary>
    public TxReport With(object? txData, object? txMeta = null)
    {
        if (!View.IsCurrent) throw Errors.NotCurrent("With");
        var (data, meta) = TxInput.Parse(txData, txMeta);
        var result = TxProcessor.Run(State, data, meta, Functions, DateTime.UtcNow);
        return ToReport(result);
    }

    /// <summary>As <see cref="With"/>, returning only the resulting database.</summary>
    public Database DbWith(object? txData) => With(txData).DbAfter;

    /// <summary>
    /// Resolves an entity reference — an id, a lookup ref <c>[:attr value]</c> or an ident keyword —
    /// to an entity id; null when a lookup ref or ident matches nothing.
    /// </summary>
    public long? Entid(object eid) => View.Entid(eid is string s ? EdnReader.Read(s) : eid);

    /// <summary>
    /// The database as Datahike prints it: <c>#datahike/DB {:commit-id #uuid "…", :max-tx 536870913, :max-eid 2}</c>;
    /// a history, as-of or since view wraps it as <c>#datahike/HistoricalDB {:origin …}</c>,
    /// <c>#datahike/AsOfDB {:origin …, :time-point tx}</c> or <c>#datahike/SinceDB {…}</c>.
    /// </summary>
    public override string ToString() => EdnPrinter.Print(this);

    /// <inheritdoc />
    void IEdnPrintable.PrintEdn(System.Text.StringBuilder sb) => EdnPrinter.Print(sb, DbPrinting.Form(this));

    internal TxReport ToReport(TxResult result) => ToReport(result, result.After, outcome: null);

    /// <summary>The report of a committed transaction, this database being the one it applied to.</summary>
    internal TxReport ToReport(WriteOutcome outcome) => ToReport(outcome.Result, outcome.After, outcome);

    /// <summary>The report of <paramref name="result"/>, whose database after is <paramref name="afterState"/> (the result's state as committed).</summary>
    private TxReport ToReport(TxResult result, DbState afterState, WriteOutcome? outcome)
    {
        var after = new Database(DbView.Of(afterState), Functions, QueryLimits);
        var schema = result.After.Schema;
        var raw = result.TxData;
        return new TxReport(this, after, () =>
        {
            var txData = new Datom[raw.Count];
            for (int i = 0; i < txData.Length; i++) txData[i] = ToDatom(schema, raw[i]);
            return txData;
        }, result.TempIds, result.TxMeta, outcome);
    }

    internal static Datom ToDatom(Schema schema, in IndexDatom d) => new(d.E, schema[d.A].Ident, d.V, d.Tx, d.Added);

    private void RequireHistory(string operation)
    {
        if (!State.Options.KeepHistory)
        {
            throw Errors.NoHistory(operation);
        }
    }

    /// <summary>The last transaction at or before <paramref name="instant"/>: the time point both as-of and since take.</summary>
    private long LastTxAt(DateTime instant) =>
        State.LastTxAt(ValueCoercion.TryCoerce(DbType.Instant, instant, out var v) ? (DateTime)v : instant, inclusive: true);
}
