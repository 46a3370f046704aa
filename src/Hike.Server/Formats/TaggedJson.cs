using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Hike.Api;
using Hike.Edn;

namespace Hike.Server.Formats;

/// <summary>
/// Datahike's tagged JSON (jsonista's tagged module, as Datahike's server configures it): maps are
/// objects whose keyword keys are written as their names (<c>"ns/name"</c>) and read back as keywords;
/// a keyword is <c>["!kw","ns/name"]</c>, a symbol <c>["!sym","x"]</c>, a set <c>["!set",[…]]</c>, a uuid
/// <c>["!uuid","…"]</c>, an instant <c>["!date","&lt;epoch ms&gt;"]</c>, a datom
/// <c>["!datahike/Datom",[e,a,v,tx,added]]</c>; the server's handles are <see cref="Tagged"/> values
/// under <c>!datahike/…</c> tags (<c>!</c> and the handle's EDN tag). Integers are longs (big integers when too large), other numbers doubles.
/// </summary>
internal static class TaggedJson
{
    public const string KeywordTag = "!kw";
    public const string SymbolTag = "!sym";
    public const string SetTag = "!set";
    public const string UuidTag = "!uuid";
    public const string DateTag = "!date";
    public const string DatomTag = "!datahike/Datom";

    /// <summary>Writes <paramref name="value"/> as tagged JSON, compactly.</summary>
    public static byte[] Write(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Write(writer, value, 0);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads tagged JSON; a <see cref="JsonException"/> when it is not JSON.</summary>
    public static object? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = EdnReader.MaxDepth });
        using var document = JsonDocument.ParseValue(ref reader);
        return Read(document.RootElement);
    }

    public static object? Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => EdnMap.Create(element.EnumerateObject().Select(p => new KeyValuePair<object?, object?>(Keyword.Intern(p.Name), Read(p.Value)))),
        JsonValueKind.Array => ReadArray(element),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => Number(element),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static object? ReadArray(JsonElement array)
    {
        if (array.GetArrayLength() == 2 && array[0].ValueKind == JsonValueKind.String && array[0].GetString() is { } tag)
        {
            var value = array[1];
            switch (tag)
            {
                case KeywordTag when value.ValueKind == JsonValueKind.String:
                    return Keyword.Intern(value.GetString()!);
                case SymbolTag when value.ValueKind == JsonValueKind.String:
                    return Symbol.Intern(value.GetString()!);
                case SetTag when value.ValueKind == JsonValueKind.Array:
                    return EdnSet.Create(value.EnumerateArray().Select(Read));
                case UuidTag when value.ValueKind == JsonValueKind.String:
                    return Guid.TryParse(value.GetString(), out var uuid) ? uuid : throw new JsonException($"[\"{UuidTag}\", …] holds no uuid: {value.GetString()}");
                case DateTag when value.ValueKind is JsonValueKind.String or JsonValueKind.Number:
                    return Date(value);
                case DatomTag when value.ValueKind == JsonValueKind.Array:
                    return Datom(value);
                default:
                    if (tag.StartsWith('!') && Tagged.ServerTags.Contains(tag[1..])) return new Tagged(tag[1..], Read(value));
                    break;
            }
        }
        return EdnVector.From(array.EnumerateArray().Select(Read));
    }

    private static DateTime Date(JsonElement value)
    {
        string text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime
            : throw new JsonException($"[\"{DateTag}\", …] holds no epoch milliseconds: {text}");
    }

    private static Datom Datom(JsonElement value)
    {
        var parts = value.EnumerateArray().Select(Read).ToList();
        if (parts.Count is < 3 or > 5 || parts[0] is not long e || parts[1] is not Keyword a || parts[2] is not { } v)
            throw new JsonException($"[\"{DatomTag}\", [e a v tx added]] holds {value.GetRawText()}");
        long tx = parts.Count > 3 && parts[3] is long t ? t : 0;
        bool added = parts.Count <= 4 || parts[4] is not false;
        return new Datom(e, a, v, tx, added);
    }

    private static object Number(JsonElement element)
    {
        if (element.TryGetInt64(out long l)) return l;
        string raw = element.GetRawText();
        if (raw.AsSpan().IndexOfAny(".eE") < 0) return BigInteger.Parse(raw, CultureInfo.InvariantCulture);
        double d = element.GetDouble();
        return double.IsFinite(d) ? d : throw new JsonException($"The number {raw} is beyond a double's range");
    }

    private static void Write(Utf8JsonWriter w, object? value, int depth)
    {
        if (depth > EdnReader.MaxDepth) throw new InvalidOperationException($"A value nested deeper than {EdnReader.MaxDepth} levels cannot be written as JSON");
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case string s: w.WriteStringValue(s); break;
            case char c: w.WriteStringValue(c.ToString()); break;
            case long or int or short or sbyte or byte or ushort or uint: w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong u: w.WriteNumberValue(u); break;
            case double d: WriteDouble(w, d); break;
            case float f: WriteDouble(w, f); break;
            case decimal m: w.WriteNumberValue(m); break;
            case BigInteger big: w.WriteRawValue(big.ToString(CultureInfo.InvariantCulture)); break;
            case Keyword k: WriteTagged(w, KeywordTag, k.FullName); break;
            case Symbol sym: WriteTagged(w, SymbolTag, sym.ToString()); break;
            case Guid g: WriteTagged(w, UuidTag, g.ToString()); break;
            case DateTime t: WriteTagged(w, DateTag, new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)); break;
            case DateTimeOffset o: WriteTagged(w, DateTag, o.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)); break;
            case byte[] bytes: w.WriteStringValue(Convert.ToBase64String(bytes)); break;
            case Datom d:
                w.WriteStartArray();
                w.WriteStringValue(DatomTag);
                Write(w, EdnVector.Create(d.E, d.A, d.V, d.Tx, d.Added), depth + 1);
                w.WriteEndArray();
                break;
            case Tagged tagged:
                w.WriteStartArray();
                w.WriteStringValue("!" + tagged.Tag);
                Write(w, tagged.Value, depth + 1);
                w.WriteEndArray();
                break;
            case EdnSet set:
                w.WriteStartArray();
                w.WriteStringValue(SetTag);
                WriteArray(w, set, depth + 1);
                w.WriteEndArray();
                break;
            case EdnMap map: WriteObject(w, map.Select(kv => (kv.Key, kv.Value)), depth); break;
            case IDictionary dictionary: WriteObject(w, dictionary.Cast<DictionaryEntry>().Select(e => (e.Key, e.Value)), depth); break;
            case IEnumerable items: WriteArray(w, items, depth); break;
            default: throw new InvalidOperationException($"A {value.GetType().Name} cannot be written as JSON");
        }
    }

    private static void WriteDouble(Utf8JsonWriter w, double d)
    {
        if (!double.IsFinite(d)) throw new InvalidOperationException($"{d} cannot be written as a JSON number");
        w.WriteNumberValue(d);
    }

    private static void WriteTagged(Utf8JsonWriter w, string tag, string text)
    {
        w.WriteStartArray();
        w.WriteStringValue(tag);
        w.WriteStringValue(text);
        w.WriteEndArray();
    }

    private static void WriteArray(Utf8JsonWriter w, IEnumerable items, int depth)
    {
        w.WriteStartArray();
        foreach (var item in items) Write(w, item, depth + 1);
        w.WriteEndArray();
    }

    private static void WriteObject(Utf8JsonWriter w, IEnumerable<(object Key, object? Value)> entries, int depth)
    {
        w.WriteStartObject();
        foreach (var (key, item) in entries)
        {
            w.WritePropertyName(key switch
            {
                Keyword k => k.FullName,
                string s => s,
                _ => EdnPrinter.Print(key),
            });
            Write(w, item, depth + 1);
        }
        w.WriteEndObject();
    }

    /// <summary>UTF-8 text of <paramref name="value"/> as tagged JSON.</summary>
    public static string WriteText(object? value) => Encoding.UTF8.GetString(Write(value));
}
