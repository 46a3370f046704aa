using System.Collections;

namespace Hike.Edn;

/// <summary>Reads EDN maps and .NET dictionaries through one shape: a list of entries.</summary>
internal static class Maps
{
    /// <summary>True for an <see cref="EdnMap"/> or any non-generic/generic dictionary.</summary>
    public static bool IsMap(object? x) => x is EdnMap or IDictionary || (x is not null && TypeShapes.IsReadOnlyDictionary(x.GetType()));

    /// <summary>The entries of a map-like value in its own order, or <c>null</c> when it is not a map.</summary>
    public static List<KeyValuePair<object?, object?>>? ToEntries(object? x)
    {
        switch (x)
        {
            case null or string or EdnSequence or EdnSet or Array:
                return null;
            case EdnMap m:
            {
                var list = new List<KeyValuePair<object?, object?>>(m.Count);
                foreach (var e in m.Entries) list.Add(e);
                return list;
            }
            case IDictionary d:
            {
                var list = new List<KeyValuePair<object?, object?>>(d.Count);
                foreach (DictionaryEntry e in d) list.Add(new(e.Key, e.Value));
                return list;
            }
            case IEnumerable e when x is not null && TypeShapes.IsReadOnlyDictionary(x.GetType()):
            {
                var list = new List<KeyValuePair<object?, object?>>();
                foreach (var item in e)
                {
                    var t = item!.GetType();
                    list.Add(new(t.GetProperty("Key")!.GetValue(item), t.GetProperty("Value")!.GetValue(item)));
                }
                return list;
            }
            default:
                return null;
        }
    }

}
