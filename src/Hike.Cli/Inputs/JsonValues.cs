using System.Text.Json;
using Hike.Edn;

namespace Hike.Cli.Inputs;

/// <summary>
/// JSON read as Datahike's JSON reader does: objects become maps with keyword keys, strings that
/// start with a colon become keywords, integers become longs and other numbers doubles.
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
            throw new HikeException("json/syntax", $"Bad JSON in {source} at line {(e.LineNumber ?? 0) + 1}, position {(e.BytePositionInLine ?? 0) + 1}: {e.Message}");
        }
    }

    public static object? From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => EdnMap.Create(element.EnumerateObject().Select(p => new KeyValuePair<object?, object?>(Keyword.Intern(p.Name.TrimStart(':')), From(p.Value)))),
        JsonValueKind.Array => EdnVector.From(element.EnumerateArray().Select(From)),
        JsonValueKind.String => element.GetString() is { Length: > 1 } s && s[0] == ':' ? Keyword.Intern(s[1..]) : element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out long l) ? (object)l : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
