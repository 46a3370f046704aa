using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Output;

/// <summary>
/// Values as JSON: maps become objects (keyword keys without their colon), keyword values strings
/// with it (<c>":db.type/string"</c>), sets and sequences arrays, datoms <c>[e, ":a", v, tx, added]</c>,
/// instants ISO-8601 strings, UUIDs strings, bytes base64, database values their counters
/// (<see cref="CliValues.DatabaseMap"/>).
/// </summary>
internal static class JsonOutput
{
    /// <summary>The deepest nesting <see cref="Utf8JsonWriter"/> writes (its default).</summary>
    private const int MaxDepth = 1000;

    public static string Write(object? value)
    {
        using var stream = new MemoryStream();
        // Text as it is (UTF-8, quotes as \"), as Datahike's jsonista writes it, not every non-ASCII character as \uXXXX.
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            try
            {
                Write(writer, value);
            }
            catch (InvalidOperationException) when (writer.CurrentDepth >= MaxDepth)
            {
                throw CliErrors.Format($"the result nests deeper than {MaxDepth} levels, more than JSON output holds; print it with --format edn");
            }
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null:
                w.WriteNullValue();
                break;
            case bool b:
                w.WriteBooleanValue(b);
                break;
            case long l:
                w.WriteNumberValue(l);
                break;
            case int i:
                w.WriteNumberValue(i);
                break;
            case double d when double.IsFinite(d):
                w.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                w.WriteNumberValue(f);
                break;
            case double or float:
                w.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
            case decimal m:
                w.WriteNumberValue(m);
                break;
            case BigInteger big:
                w.WriteRawValue(big.ToString(CultureInfo.InvariantCulture));
                break;
            case string s:
                w.WriteStringValue(s);
                break;
            case Keyword k:
                w.WriteStringValue(":" + k.FullName);
                break;
            case Symbol sym:
                w.WriteStringValue(sym.FullName);
                break;
            case Guid g:
                w.WriteStringValue(g.ToString());
                break;
            case DateTime t:
                w.WriteStringValue(t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case byte[] bytes:
                w.WriteBase64StringValue(bytes);
                break;
            case Datom datom:
                WriteDatom(w, datom);
                break;
            case Entity entity:
                Write(w, CliValues.EntityMap(entity));
                break;
            case Database db:
                Write(w, CliValues.DatabaseMap(db));
                break;
            case EdnMap map:
                w.WriteStartObject();
                foreach (var entry in map.Entries)
                {
                    w.WritePropertyName(entry.Key switch
                    {
                        Keyword k => k.FullName,
                        string s => s,
                        _ => EdnPrinter.Print(entry.Key),
                    });
                    Write(w, entry.Value);
                }
                w.WriteEndObject();
                break;
            case IDictionary dictionary:
                Write(w, EdnMap.Create(dictionary.Cast<DictionaryEntry>().Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value))));
                break;
            case IEnumerable items:
                w.WriteStartArray();
                foreach (var item in items) Write(w, item);
                w.WriteEndArray();
                break;
            default:
                w.WriteStringValue(EdnPrinter.Print(value));
                break;
        }
    }

    private static void WriteDatom(Utf8JsonWriter w, Datom d)
    {
        w.WriteStartArray();
        w.WriteNumberValue(d.E);
        w.WriteStringValue(":" + d.A.FullName);
        Write(w, d.V);
        w.WriteNumberValue(d.Tx);
        w.WriteBooleanValue(d.Added);
        w.WriteEndArray();
    }
}
