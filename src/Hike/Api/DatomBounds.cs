using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Api;

/// <summary>Turns the components of a <c>datoms</c> call into the index range they select.</summary>
internal static class DatomBounds
{
    public static readonly IndexDatom Begin = new(0, 0, ValueOrder.Min, 0, false);
    public static readonly IndexDatom End = new(Ids.EMax, int.MaxValue, ValueOrder.Max, Ids.TxMax, true);

    public static IndexType ParseIndex(Keyword index) => index.FullName switch
    {
        "eavt" => IndexType.Eavt,
        "aevt" => IndexType.Aevt,
        "avet" => IndexType.Avet,
        _ => throw Errors.DatomsIndex(index),
    };

    /// <summary>
    /// The inclusive range of datoms whose leading parts equal <paramref name="components"/>, or null
    /// when a component names nothing (an unknown attribute, a lookup ref that matches no entity).
    /// </summary>
    public static (IndexDatom From, IndexDatom To)? Resolve(DbView view, IndexType index, object?[] components)
    {
        if (components.Length > 4) throw Errors.DatomsComponents($"Too many components: {Errors.Show(components)}");
        long? e = null;
        DbAttribute? a = null;
        object? v = null;
        long? tx = null;
        bool hasV = false;
        int[] order = index switch
        {
            IndexType.Eavt => [0, 1, 2, 3],
            IndexType.Aevt => [1, 0, 2, 3],
            _ => [1, 2, 0, 3],
        };
        for (int i = 0; i < components.Length; i++)
        {
            var c = components[i];
            if (c is null) break;
            switch (order[i])
            {
                case 0:
                    e = view.Entid(c);
                    if (e is null) return null;
                    break;
                case 1:
                    if (c is not Keyword k) throw Errors.DatomsComponents($"Expected an attribute keyword, got {Errors.Show(c)}");
                    if (!view.Schema.TryGet(k, out var attr)) return null;
                    a = attr;
                    break;
                case 2:
                    if (a is null) throw Errors.DatomsComponents("A value component needs an attribute");
                    v = view.StoredValue(a, c);
                    if (v is null) return null;
                    hasV = true;
                    break;
                default:
                    tx = c is long l ? l : Numbers.IsIntegral(c) ? Numbers.ToLongUnchecked(c) : throw Errors.DatomsComponents($"Expected a transaction id, got {Errors.Show(c)}");
                    break;
            }
        }
        var from = new IndexDatom(e ?? 0, a?.Id ?? 0, hasV ? v! : ValueOrder.Min, tx ?? 0, false);
        var to = new IndexDatom(e ?? Ids.EMax, a?.Id ?? int.MaxValue, hasV ? v! : ValueOrder.Max, tx ?? Ids.TxMax, true);
        return (from, to);
    }
}
