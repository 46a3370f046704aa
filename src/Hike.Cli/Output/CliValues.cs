using System.Collections;
using Hike.Api;
using Hike.Edn;
using Hike.Versioning;

namespace Hike.Cli.Output;

/// <summary>
/// Engine results as the values dthk prints: entities as maps, sequences of datoms as lists (a datom
/// prints itself as <c>#datahike/Datom [e a v tx added]</c>).
/// </summary>
internal static class CliValues
{
    public static object? Printable(object? value) => value switch
    {
        Entity e => EntityMap(e),
        TxReport report => report.ToEdn(),
        IEnumerable<Datom> datoms => EdnList.From(datoms.Select(d => (object?)d)),
        _ => value,
    };

    /// <summary>An entity's attributes as a map (Datahike's <c>(into {} entity)</c>); referenced entities show their id.</summary>
    public static EdnMap EntityMap(Entity entity)
    {
        entity.Touch();
        return EdnMap.Create(entity.Select(kv => new KeyValuePair<object?, object?>(kv.Key, Reference(kv.Value))));
    }

    private static object? Reference(object? value) => value switch
    {
        Entity e => EdnMap.Of(Keyword.Intern("db/id"), e.Id),
        string => value,
        IEnumerable many when value is not EdnMap => EdnSet.Create(many.Cast<object?>().Select(Reference)),
        _ => value,
    };

    /// <summary>
    /// A database value as a plain map, for output with no tags (JSON): <c>{:commit-id …, :max-tx …, :max-eid …}</c>,
    /// with <c>:as-of</c>, <c>:since</c>, <c>:history? true</c> and <c>:filtered? true</c> for a view.
    /// </summary>
    public static EdnMap DatabaseMap(Database db)
    {
        var entries = new List<KeyValuePair<object?, object?>>();
        if (db.CommitId is { } id) entries.Add(new(Keyword.Intern("commit-id"), id));
        entries.Add(new(Keyword.Intern("max-tx"), db.MaxTx));
        entries.Add(new(Keyword.Intern("max-eid"), db.MaxEid));
        if (db.AsOfTx is { } asOf) entries.Add(new(Keyword.Intern("as-of"), asOf));
        if (db.SinceTx is { } since) entries.Add(new(Keyword.Intern("since"), since));
        if (db.IsHistory) entries.Add(new(Keyword.Intern("history?"), true));
        if (db.IsFiltered) entries.Add(new(Keyword.Intern("filtered?"), true));
        return EdnMap.Create(entries);
    }

    /// <summary>A recovery report as a map: <c>{:whole? b :applied? b :branches [{:branch :db :head #uuid … :problem "…" :target #uuid … :dropped [...] :newer [...]}] :damaged ["…"]}</c>.</summary>
    public static EdnMap Of(RecoveryReport report) => EdnMap.Of(
        Keyword.Intern("whole?"), report.IsWhole,
        Keyword.Intern("applied?"), report.Applied,
        Keyword.Intern("branches"), EdnVector.From(report.Branches.Select(b => (object?)EdnMap.Of(
            Keyword.Intern("branch"), b.Branch,
            Keyword.Intern("head"), b.Head,
            Keyword.Intern("problem"), b.Problem,
            Keyword.Intern("target"), b.Target,
            Keyword.Intern("dropped"), EdnVector.From(b.Dropped.Select(d => (object?)d)),
            Keyword.Intern("newer"), EdnVector.From(b.NewerCommits.Select(d => (object?)d))))),
        Keyword.Intern("damaged"), EdnVector.From(report.Damaged),
        Keyword.Intern("quarantined"), EdnVector.From(report.Quarantined));
}
