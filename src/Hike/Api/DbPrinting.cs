using System.Text;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// What database values and transaction reports print as, in Datahike's spelling: a database
/// <c>#datahike/DB {:commit-id #uuid "…", :max-tx 536870913, :max-eid 2}</c> (no <c>:commit-id</c>
/// when it was never committed on its own), its views <c>#datahike/HistoricalDB {:origin …}</c>,
/// <c>#datahike/AsOfDB {:origin … :time-point tx}</c> and <c>#datahike/SinceDB {…}</c> (a filtered
/// database prints as the database, as in Datahike); a report as its map
/// <c>{:db-before … :db-after … :tx-data [#datahike/Datom […] …] :tempids {…} :tx-meta …}</c>.
/// </summary>
internal static class DbPrinting
{
    // DATAHIKE: Datahike also prints the :store-id [store-identity branch]; a database value here does
    // not keep the configuration it came from (the HTTP server adds it to the handles it sends).
    private static readonly Keyword CommitIdKey = Keyword.Intern("commit-id");
    private static readonly Keyword MaxTxKey = Keyword.Intern("max-tx");
    private static readonly Keyword MaxEidKey = Keyword.Intern("max-eid");
    private static readonly Keyword OriginKey = Keyword.Intern("origin");
    private static readonly Keyword TimePointKey = Keyword.Intern("time-point");
    private static readonly Keyword DbBeforeKey = Keyword.Intern("db-before");
    private static readonly Keyword DbAfterKey = Keyword.Intern("db-after");
    private static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    private static readonly Keyword TempIdsKey = Keyword.Intern("tempids");
    private static readonly Keyword TxMetaKey = Keyword.Intern("tx-meta");

    /// <summary>The form <paramref name="db"/> prints as.</summary>
    public static object Form(Database db)
    {
        var counters = db.CommitId is { } id
            ? EdnMap.Of(CommitIdKey, id, MaxTxKey, db.MaxTx, MaxEidKey, db.MaxEid)
            : EdnMap.Of(MaxTxKey, db.MaxTx, MaxEidKey, db.MaxEid);
        object form = new Tagged("datahike/DB", counters);
        if (db.AsOfTx is { } asOf) form = new Tagged("datahike/AsOfDB", EdnMap.Of(OriginKey, form, TimePointKey, asOf));
        if (db.SinceTx is { } since) form = new Tagged("datahike/SinceDB", EdnMap.Of(OriginKey, form, TimePointKey, since));
        if (db.IsHistory) form = new Tagged("datahike/HistoricalDB", EdnMap.Of(OriginKey, form));
        return form;
    }

    /// <summary>The map <paramref name="report"/> prints as (its databases print themselves).</summary>
    public static EdnMap Form(TxReport report) => EdnMap.Of(
        DbBeforeKey, report.DbBefore,
        DbAfterKey, report.DbAfter,
        TxDataKey, EdnVector.From(report.TxData.Select(d => (object?)d)),
        TempIdsKey, TempIds(report),
        TxMetaKey, report.TxMeta);

    /// <summary>A report's tempids as the EDN map it prints.</summary>
    public static EdnMap TempIds(TxReport report) =>
        EdnMap.Create(report.TempIds.Select(kv => new KeyValuePair<object?, object?>(kv.Key, kv.Value)));

    /// <summary>A tagged form: <c>#tag value</c>.</summary>
    private sealed class Tagged(string tag, object value) : IEdnPrintable
    {
        public void PrintEdn(StringBuilder sb)
        {
            sb.Append('#').Append(tag).Append(' ');
            EdnPrinter.Print(sb, value);
        }
    }
}
