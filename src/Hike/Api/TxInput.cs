using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Brings the forms a caller may pass to a transaction to one shape: EDN text is read; Datahike's
/// argument map <c>{:tx-data [...] :tx-meta {...}}</c> is unpacked; <see cref="Datom"/>s in the data
/// become <c>[:db/add ...]</c> or <c>[:db/retract ...]</c>; records, classes and anonymous objects become
/// entity maps (<see cref="ObjectTxData"/>), in the data and in the metadata.
/// </summary>
internal static class TxInput
{
    private static readonly Keyword TxDataKey = Keyword.Intern("tx-data");
    private static readonly Keyword TxMetaKey = Keyword.Intern("tx-meta");

    public static (object? Data, object? Meta) Parse(object? txData, object? txMeta)
    {
        if (txData is string text) txData = EdnReader.Read(text);
        if (txMeta is string metaText) txMeta = EdnReader.Read(metaText);
        if (txData is EdnMap map && (map.ContainsKey(TxDataKey) || map.ContainsKey(TxMetaKey)))
        {
            foreach (var key in map.Keys)
            {
                if (!ReferenceEquals(key, TxDataKey) && !ReferenceEquals(key, TxMetaKey))
                {
                    throw Errors.TxSyntax($"Unknown key {Errors.Show(key)} in transaction arguments, expected :tx-data and :tx-meta");
                }
            }
            txMeta ??= map.Get(TxMetaKey);
            txData = map.Get(TxDataKey);
        }
        return (ObjectTxData.Convert(ConvertDatoms(txData)), ObjectTxData.Convert(txMeta));
    }

    private static object? ConvertDatoms(object? txData)
    {
        if (txData is not IEnumerable<object?> items || txData is string || Maps.IsMap(txData)) return txData;
        bool any = false;
        foreach (var item in items)
        {
            if (item is Datom)
            {
                any = true;
                break;
            }
        }
        if (!any) return txData;
        var converted = new List<object?>();
        foreach (var item in items)
        {
            converted.Add(item is Datom d
                ? EdnVector.Create(d.Added ? Keyword.Intern("db/add") : Keyword.Intern("db/retract"), d.E, d.A, d.V)
                : item);
        }
        return converted;
    }
}
