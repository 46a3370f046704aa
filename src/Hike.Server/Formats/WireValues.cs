using System.Collections;
using Hike.Api;
using Hike.Edn;
using Hike.Server.Handles;

namespace Hike.Server.Formats;

/// <summary>
/// Between the engine's values and what the wire formats carry: a connection, a database value, a
/// transaction report and an entity go out as Datahike's tagged handles (<c>datahike/Connection</c>,
/// <c>datahike/DB</c> and its history, as-of and since forms, <c>datahike/TxReport</c>,
/// <c>datahike/Entity</c>), and handles that come in become the connection or database value they name.
/// </summary>
internal sealed class WireValues(ServerConnections connections)
{
    public const string ConnectionTag = "datahike/Connection";
    public const string DbTag = "datahike/DB";
    public const string HistoryTag = "datahike/HistoricalDB";
    public const string AsOfTag = "datahike/AsOfDB";
    public const string SinceTag = "datahike/SinceDB";
    public const string TxReportTag = "datahike/TxReport";
    public const string EntityTag = "datahike/Entity";

    private static readonly Keyword StoreIdKey = Keyword.Intern("store-id");
    private static readonly Keyword CommitIdKey = Keyword.Intern("commit-id");
    private static readonly Keyword MaxEidKey = Keyword.Intern("max-eid");
    private static readonly Keyword MaxTxKey = Keyword.Intern("max-tx");
    private static readonly Keyword OriginKey = Keyword.Intern("origin");
    private static readonly Keyword TimePointKey = Keyword.Intern("time-point");

    /// <summary>The key of a transaction report's commit (<c>:hike/commit-id</c>): the commit that holds the transaction.</summary>
    public static readonly Keyword CommitKey = Keyword.Intern("hike/commit-id");

    /// <summary>
    /// The value to send for <paramref name="result"/>; database values are named by
    /// <paramref name="connection"/>, the connection of the call that made them.
    /// </summary>
    public object? ToWire(object? result, ConnectionHandle? connection) => result switch
    {
        null or string or Keyword or Datom => result,
        ConnectionHandle handle => new Tagged(ConnectionTag, handle.ToValue()),
        Database db => Db(db, connection),
        TxReport report => new Tagged(TxReportTag, EdnMap.Of(
            Keyword.Intern("db-before"), Db(report.DbBefore, connection),
            Keyword.Intern("db-after"), Db(report.DbAfter, connection),
            Keyword.Intern("tx-data"), EdnVector.From(report.TxData.Select(d => (object?)d)),
            Keyword.Intern("tempids"), DbPrinting.TempIds(report),
            Keyword.Intern("tx-meta"), ToWire(report.TxMeta, connection),
            // Hike's: the commit holding the transaction, also when it shared it with others (db-after then names no commit).
            CommitKey, report.Outcome?.Commit.Id)),
        Entity entity => new Tagged(EntityTag, EntityMap(entity, connection)),
        EdnMap or EdnSet or EdnSequence => result,
        IEnumerable<Datom> datoms => EdnVector.From(datoms.Select(d => (object?)d)),
        _ => result,
    };

    /// <summary>The value <paramref name="wire"/> stands for, with every handle in it, at any depth, the connection or database value it names.</summary>
    public async Task<object?> FromWireAsync(object? wire, CancellationToken cancellationToken)
    {
        switch (wire)
        {
            case Tagged tagged:
                return await FromHandleAsync(tagged, cancellationToken).ConfigureAwait(false);
            case EdnMap map when HoldsHandle(map):
                var entries = new List<KeyValuePair<object?, object?>>(map.Count);
                foreach (var (key, value) in map) entries.Add(new(await FromWireAsync(key, cancellationToken).ConfigureAwait(false), await FromWireAsync(value, cancellationToken).ConfigureAwait(false)));
                return EdnMap.Create(entries);
            case EdnSequence or EdnSet when HoldsHandle(wire):
                var items = new List<object?>();
                foreach (var item in (IEnumerable<object?>)wire) items.Add(await FromWireAsync(item, cancellationToken).ConfigureAwait(false));
                return wire switch
                {
                    EdnSet => EdnSet.Create(items),
                    EdnList => EdnList.From(items),
                    _ => EdnVector.From(items),
                };
            default:
                return wire;
        }
    }

    /// <summary>Whether a handle is anywhere in <paramref name="wire"/>.</summary>
    private static bool HoldsHandle(object? wire) => wire switch
    {
        Tagged => true,
        EdnMap map => map.Any(kv => HoldsHandle(kv.Key) || HoldsHandle(kv.Value)),
        EdnSequence or EdnSet => ((IEnumerable<object?>)wire).Any(HoldsHandle),
        _ => false,
    };

    private async Task<object?> FromHandleAsync(Tagged tagged, CancellationToken cancellationToken)
    {
        switch (tagged.Tag)
        {
            case ConnectionTag:
                return connections.Get(ConnectionHandle.From(tagged.Value) ?? throw ServerErrors.BadRequest($"A {ConnectionTag} handle holds [[backend id] branch], not {EdnPrinter.Print(tagged.Value)}"));
            case DbTag:
                return await connections.GetAsync(DbHandleOf(tagged.Value), cancellationToken).ConfigureAwait(false);
            case HistoryTag:
                return (await OriginAsync(tagged, cancellationToken).ConfigureAwait(false)).History();
            case AsOfTag:
                return TimePoint(tagged) switch
                {
                    long tx => (await OriginAsync(tagged, cancellationToken).ConfigureAwait(false)).AsOf(tx),
                    DateTime instant => (await OriginAsync(tagged, cancellationToken).ConfigureAwait(false)).AsOf(instant),
                    var other => throw ServerErrors.BadRequest($"An as-of time point is a transaction id or an instant, not {EdnPrinter.Print(other)}"),
                };
            case SinceTag:
                return TimePoint(tagged) switch
                {
                    long tx => (await OriginAsync(tagged, cancellationToken).ConfigureAwait(false)).Since(tx),
                    DateTime instant => (await OriginAsync(tagged, cancellationToken).ConfigureAwait(false)).Since(instant),
                    var other => throw ServerErrors.BadRequest($"A since time point is a transaction id or an instant, not {EdnPrinter.Print(other)}"),
                };
            default:
                throw ServerErrors.BadRequest($"A {tagged.Tag} cannot be an argument");
        }
    }

    /// <summary>The connection handle among <paramref name="wire"/> arguments, the first that names one.</summary>
    public static ConnectionHandle? ConnectionOf(IEnumerable<object?> wire)
    {
        foreach (var arg in wire)
        {
            if (HandleIn(arg) is { } handle) return handle;
        }
        return null;
    }

    private static ConnectionHandle? HandleIn(object? arg) => arg switch
    {
        Tagged { Tag: ConnectionTag } t => ConnectionHandle.From(t.Value),
        Tagged { Tag: DbTag } t => t.Value is EdnMap map ? ConnectionHandle.From(map.Get(StoreIdKey)) : null,
        Tagged { Tag: HistoryTag or AsOfTag or SinceTag } t => t.Value is EdnMap map ? HandleIn(map.Get(OriginKey)) : null,
        EdnMap map => ConnectionOf(map.Values),
        EdnSequence or EdnSet => ConnectionOf((IEnumerable<object?>)arg),
        _ => null,
    };

    private object Db(Database db, ConnectionHandle? connection)
    {
        var handle = connection ?? throw new InvalidOperationException("A database value goes out only from a call on a connection");
        object value = new Tagged(DbTag, EdnMap.Of(
            StoreIdKey, handle.ToValue(),
            CommitIdKey, db.CommitId,
            MaxEidKey, db.MaxEid,
            MaxTxKey, db.MaxTx));
        if (db.AsOfTx is { } asOf) value = new Tagged(AsOfTag, EdnMap.Of(OriginKey, value, TimePointKey, asOf));
        if (db.SinceTx is { } since) value = new Tagged(SinceTag, EdnMap.Of(OriginKey, value, TimePointKey, since));
        if (db.IsHistory) value = new Tagged(HistoryTag, EdnMap.Of(OriginKey, value));
        return value;
    }

    private EdnMap EntityMap(Entity entity, ConnectionHandle? connection)
    {
        entity.Touch();
        var entries = entity.Select(kv => new KeyValuePair<object?, object?>(kv.Key, Reference(kv.Value))).ToList();
        entries.Add(new(Keyword.Intern("db"), Db(entity.Db, connection)));
        entries.Add(new(Keyword.Intern("eid"), entity.Id));
        return EdnMap.Create(entries);
    }

    private static object? Reference(object? value) => value switch
    {
        Entity e => EdnMap.Of(Keyword.Intern("db/id"), e.Id),
        string => value,
        IEnumerable many when value is not EdnMap => EdnSet.Create(many.Cast<object?>().Select(Reference)),
        _ => value,
    };

    private static DbHandle DbHandleOf(object? value)
    {
        if (value is EdnMap map && ConnectionHandle.From(map.Get(StoreIdKey)) is { } connection && map.Get(CommitIdKey) is Guid commit)
        {
            return new DbHandle(connection, commit, map.Get(MaxEidKey) as long? ?? 0, map.Get(MaxTxKey) as long? ?? 0);
        }
        throw ServerErrors.BadRequest($"A {DbTag} handle holds {{:store-id … :commit-id #uuid …}}, not {EdnPrinter.Print(value)}");
    }

    private async Task<Database> OriginAsync(Tagged tagged, CancellationToken cancellationToken) =>
        tagged.Value is EdnMap map && await FromWireAsync(map.Get(OriginKey), cancellationToken).ConfigureAwait(false) is Database origin
            ? origin
            : throw ServerErrors.BadRequest($"A {tagged.Tag} handle holds {{:origin <a database>}}");

    private static object? TimePoint(Tagged tagged) => tagged.Value is EdnMap map ? map.Get(TimePointKey) : null;
}
