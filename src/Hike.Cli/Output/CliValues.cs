using System.Collections;
using System.Text;
using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Output;

/// <summary>Engine results as the values dthk prints: datoms as <c>#datahike/Datom [e a v tx added]</c>, entities as maps, sequences as lists.</summary>
internal static class CliValues
{
    public static object? Printable(object? value) => value switch
    {
        Datom d => new TaggedDatom(d),
        Entity e => EntityMap(e),
        IEnumerable<Datom> datoms => EdnList.From(datoms.Select(d => (object?)new TaggedDatom(d))),
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

    /// <summary>A datom printed with Datahike's tag.</summary>
    public sealed class TaggedDatom(Datom datom) : IEdnPrintable
    {
        public Datom Datom { get; } = datom;

        public void PrintEdn(StringBuilder sb)
        {
            sb.Append("#datahike/Datom [").Append(Datom.E).Append(' ').Append(':').Append(Datom.A.FullName).Append(' ');
            EdnPrinter.Print(sb, Datom.V);
            sb.Append(' ').Append(Datom.Tx).Append(' ').Append(Datom.Added ? "true" : "false").Append(']');
        }
    }
}
