using System.Text;
using Hike.Edn;

namespace Hike.Cli.Output;

/// <summary>
/// EDN over several lines, as Clojure's <c>pprint</c> lays it out: a value that fits the width stays on
/// one line; otherwise a map puts one entry per line and a collection one element per line, aligned
/// under the first.
/// </summary>
internal static class PrettyPrinter
{
    private const int Width = 72;

    /// <summary>How deep the layout indents; deeper values print on one line.</summary>
    private const int MaxDepth = 64;

    public static string Print(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int column, int depth)
    {
        string flat = EdnPrinter.Print(value);
        // Past MaxDepth a value prints on one line (the EDN printer has no depth limit), so a deep value costs no stack here.
        if (column + flat.Length <= Width || value is not (EdnMap or EdnSequence or EdnSet) || depth >= MaxDepth)
        {
            sb.Append(flat);
            return;
        }
        if (value is EdnMap map)
        {
            sb.Append('{');
            bool first = true;
            foreach (var entry in map.Entries)
            {
                if (!first) sb.Append(",\n").Append(' ', column + 1);
                first = false;
                string key = EdnPrinter.Print(entry.Key);
                sb.Append(key).Append(' ');
                Write(sb, entry.Value, column + 1 + key.Length + 1, depth + 1);
            }
            sb.Append('}');
            return;
        }
        var (open, close) = value switch
        {
            EdnVector => ("[", "]"),
            EdnSet => ("#{", "}"),
            _ => ("(", ")"),
        };
        sb.Append(open);
        int inner = column + open.Length;
        bool firstItem = true;
        foreach (var item in (IEnumerable<object?>)value)
        {
            if (!firstItem) sb.Append('\n').Append(' ', inner);
            firstItem = false;
            Write(sb, item, inner, depth + 1);
        }
        sb.Append(close);
    }
}
