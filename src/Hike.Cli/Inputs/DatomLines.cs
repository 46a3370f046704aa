using System.Text;
using System.Text.Json;
using Hike.Api;
using Hike.Cli.Output;
using Hike.Edn;

namespace Hike.Cli.Inputs;

/// <summary>
/// The export format: one datom per line, <c>[e :a v tx added]</c> in EDN or
/// <c>[e, ":a", v, tx, added]</c> in JSON (JSON lines). EDN keeps every value's type; JSON keeps
/// what JSON can, and <see cref="JsonDatomTypes"/> restores the rest from the schema on reading.
/// Reading EDN also takes what <c>hike datoms</c> prints: Datahike's <c>#datahike/Datom [e :a v tx added]</c>,
/// alone on a line or in a list of them, which comes in index order and is put in transaction order.
/// </summary>
internal static class DatomLines
{
    /// <summary>True for a file name that asks for JSON lines (<c>.json</c>, <c>.jsonl</c>).</summary>
    public static bool IsJsonPath(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    /// <summary>The line for <paramref name="datom"/> (without its line break); <paramref name="buffer"/> is scratch space reused across calls.</summary>
    public static string Format(Datom datom, bool json, StringBuilder buffer)
    {
        if (json) return JsonOutput.Write(datom);
        buffer.Clear();
        buffer.Append('[').Append(datom.E).Append(" :").Append(datom.A.FullName).Append(' ');
        EdnPrinter.Print(buffer, datom.V);
        buffer.Append(' ').Append(datom.Tx).Append(datom.Added ? " true]" : " false]");
        return buffer.ToString();
    }

    /// <summary>
    /// The datoms of <paramref name="reader"/>, one a line (or, in EDN, a list of them on a line),
    /// read as the enumeration asks for them (blank lines are skipped). A line that does not hold
    /// datoms is an error naming <paramref name="source"/> and the line number. JSON values are
    /// converted by <paramref name="types"/>.
    /// </summary>
    public static IEnumerable<object?> Read(TextReader reader, string source, JsonDatomTypes? types)
    {
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            object? form;
            try
            {
                form = types is null ? EdnReader.Read(line) : ReadJson(line);
            }
            catch (HikeException e)
            {
                throw CliErrors.InContext(e, $"{source} line {number}: {e.Message}");
            }
            if (types is null && form is EdnList datoms)
            {
                // A load takes transactions in order; an index holds them in any. Stable, so each keeps its index order.
                var checkedDatoms = datoms.Select(d => Datom(d, source, number, line)).ToList();
                foreach (var datom in checkedDatoms.OrderBy(d => (long)d[3]!)) yield return datom;
            }
            else
            {
                var datom = Datom(form, source, number, line);
                yield return types is null ? datom : types.Convert(datom);
            }
        }
    }

    private static IReadOnlyList<object?> Datom(object? form, string source, long number, string line)
    {
        if (form is not IReadOnlyList<object?> { Count: 5 } parts || parts[0] is not long || parts[1] is not Keyword || parts[3] is not long || parts[4] is not bool)
        {
            throw CliErrors.Format($"{source} line {number}: expected a datom [e :attribute value tx added], got {Clip(line)}");
        }
        return parts;
    }

    private static object? ReadJson(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return JsonValues.From(document.RootElement);
        }
        catch (JsonException e)
        {
            throw CliErrors.JsonSyntax($"bad JSON at position {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
    }

    private static string Clip(string line) => line.Length <= 80 ? line : line[..77] + "...";
}
