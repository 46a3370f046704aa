using System.Text;
using Hike.Edn;

namespace Hike.Cli.Output;

/// <summary>
/// A relation as a text table: one row per tuple, one column per find element (named by the
/// query's find elements when known). Maps give a column per key; a collection of single
/// values one column; a single value prints alone. Strings show without quotes.
/// </summary>
internal static class TableOutput
{
    public static string Write(object? value, IReadOnlyList<string>? columns)
    {
        var rows = new List<IReadOnlyList<string>>();
        List<string> header;
        switch (value)
        {
            case EdnSet or EdnVector or EdnList when ((IEnumerable<object?>)value).All(r => r is EdnMap):
            {
                var maps = ((IEnumerable<object?>)value).Cast<EdnMap>().ToList();
                var keys = maps.SelectMany(m => m.Keys).Distinct().ToList();
                header = keys.Select(k => Cell(k)).ToList();
                rows.AddRange(maps.Select(m => (IReadOnlyList<string>)keys.Select(k => Cell(m.Get(k))).ToList()));
                break;
            }
            case EdnSet or EdnList or EdnVector when ((IEnumerable<object?>)value).All(r => r is EdnVector):
            {
                var tuples = ((IEnumerable<object?>)value).Cast<EdnVector>().ToList();
                int width = tuples.Count == 0 ? columns?.Count ?? 0 : tuples.Max(t => t.Count);
                header = Enumerable.Range(0, width).Select(i => columns is not null && i < columns.Count ? columns[i] : $"col{i + 1}").ToList();
                rows.AddRange(tuples.Select(t => (IReadOnlyList<string>)t.Select(Cell).ToList()));
                break;
            }
            case EdnMap map:
                header = ["key", "value"];
                rows.AddRange(map.Entries.ToArray().Select(e => (IReadOnlyList<string>)[Cell(e.Key), Cell(e.Value)]));
                break;
            case EdnSet or EdnList or EdnVector:
                header = [columns is { Count: > 0 } ? columns[0] : "value"];
                rows.AddRange(((IEnumerable<object?>)value).Select(v => (IReadOnlyList<string>)[Cell(v)]));
                break;
            default:
                return Cell(value);
        }
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => i < r.Count ? r[i].Length : 0))).ToList();
        var sb = new StringBuilder();
        Line(sb, header, widths);
        sb.Append('|');
        foreach (int w in widths) sb.Append(new string('-', w + 2)).Append('|');
        sb.Append('\n');
        foreach (var row in rows.OrderBy(r => string.Join('\u0001', r), StringComparer.Ordinal)) Line(sb, row, widths);
        sb.Append('(').Append(rows.Count).Append(rows.Count == 1 ? " row)" : " rows)");
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, IReadOnlyList<string> cells, List<int> widths)
    {
        sb.Append('|');
        for (int i = 0; i < widths.Count; i++) sb.Append(' ').Append((i < cells.Count ? cells[i] : "").PadRight(widths[i])).Append(" |");
        sb.Append('\n');
    }

    private static string Cell(object? value) => value is string s ? s : EdnPrinter.Print(value);
}
