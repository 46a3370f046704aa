using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Hike.Edn;

namespace Hike.Cli.Inputs;

/// <summary>
/// JSON read as Datahike's JSON reader does: objects become maps with keyword keys, strings that
/// start with a colon become keywords, integers become longs (BigIntegers when too large for a
/// long) and other numbers doubles; a number too large or too small for a double is a
/// <c>json/number</c> error rather than an infinity or a zero.
/// </summary>
internal static class JsonValues
{
    public static object? Parse(string json, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return From(document.RootElement);
        }
        catch (JsonException e)
        {
            throw CliErrors.JsonSyntax($"Bad JSON in {source} at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
        catch (HikeException e)
        {
            throw CliErrors.InContext(e, $"{e.Message} in {source}");
        }
    }

    public static object? From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => EdnMap.Create(element.EnumerateObject().Select(p => new KeyValuePair<object?, object?>(Keyword.Intern(p.Name.TrimStart(':')), From(p.Value)))),
        JsonValueKind.Array => EdnVector.From(element.EnumerateArray().Select(From)),
        JsonValueKind.String => element.GetString() is { Length: > 1 } s && s[0] == ':' ? Keyword.Intern(s[1..]) : element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object Number(JsonElement element)
    {
        if (element.TryGetInt64(out long l)) return l;
        var text = element.GetRawText();
        int exponent = text.AsSpan().IndexOfAny('e', 'E');
        if (exponent < 0 && !text.Contains('.', StringComparison.Ordinal)) return BigInteger.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        double d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        // Read as Infinity or 0.0, 1e999 or 1e-999 would be stored as a value the input does not hold.
        var mantissa = exponent < 0 ? text.AsSpan() : text.AsSpan(0, exponent);
        if (double.IsInfinity(d) || d == 0 && mantissa.IndexOfAnyInRange('1', '9') >= 0)
        {
            throw CliErrors.JsonNumber(text);
        }
        return d;
    }
}
