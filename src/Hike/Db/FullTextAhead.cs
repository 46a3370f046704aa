using System.Collections;
using Hike.Edn;
using Hike.FullText;
using Lucene.Net.Analysis;

namespace Hike.Db;

/// <summary>
/// Which full-text values a transaction's data asserts, as far as its shape shows them before it
/// runs: string values of full-text attributes in entity maps (nested ones under reference attributes
/// included) and in <c>[:db/add e :attr "text"]</c>. Only a forecast for analysing ahead
/// (<see cref="AnalyzedValues"/>): what it misses the writer analyses, and what it names but the
/// transaction does not assert is never looked at. Stateless and thread-safe.
/// </summary>
internal static class FullTextAhead
{
    /// <summary>How deep nested entity maps are followed.</summary>
    private const int MaxDepth = 8;

    /// <summary>The values to analyse ahead for <paramref name="txData"/> on <paramref name="schema"/>, or null when there are none.</summary>
    public static AnalyzedValues? Plan(Schema? schema, object? txData)
    {
        if (schema is null || !schema.HasFullText || txData is string || Maps.IsMap(txData) || txData is not IEnumerable ops) return null;
        var work = new List<(Analyzer, string)>();
        foreach (var op in ops) Collect(schema, op, work, 0);
        return work.Count == 0 ? null : new AnalyzedValues(work);
    }

    private static void Collect(Schema schema, object? op, List<(Analyzer, string)> work, int depth)
    {
        if (depth > MaxDepth || op is null or string) return;
        if (Maps.ToEntries(op) is { } entries)
        {
            foreach (var (key, value) in entries)
            {
                if (AttributeOf(schema, key) is not { } attribute) continue;
                if (attribute.FullText) AddStrings(attribute, value, work);
                else if (attribute.IsRef) CollectNested(schema, value, work, depth + 1);
            }
            return;
        }
        if (op is IReadOnlyList<object?> { Count: 4 } items && items[0] is Keyword name && name == Idents.DbAdd
            && AttributeOf(schema, items[2]) is { FullText: true } added && items[3] is string text)
        {
            work.Add((FullTextIndex.AnalyzerOf(added), text));
        }
    }

    /// <summary>A reference attribute's value: an entity map, or several.</summary>
    private static void CollectNested(Schema schema, object? value, List<(Analyzer, string)> work, int depth)
    {
        if (Maps.IsMap(value)) Collect(schema, value, work, depth);
        else if (value is IEnumerable many and not string)
        {
            foreach (var item in many)
            {
                if (Maps.IsMap(item)) Collect(schema, item, work, depth);
            }
        }
    }

    /// <summary>A full-text attribute's value: a string, or (cardinality many) several.</summary>
    private static void AddStrings(DbAttribute attribute, object? value, List<(Analyzer, string)> work)
    {
        if (value is string text)
        {
            work.Add((FullTextIndex.AnalyzerOf(attribute), text));
        }
        else if (value is IEnumerable many && !Maps.IsMap(value))
        {
            foreach (var item in many)
            {
                if (item is string one) work.Add((FullTextIndex.AnalyzerOf(attribute), one));
            }
        }
    }

    private static DbAttribute? AttributeOf(Schema schema, object? key)
    {
        var ident = key as Keyword ?? (key is string s && s.StartsWith(':') ? Keyword.Intern(s) : null);
        return ident is not null && schema.TryGet(ident, out var attribute) ? attribute : null;
    }
}
