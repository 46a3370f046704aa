using Hike.Db;
using Hike.Edn;

namespace Hike.Transactions;

internal sealed partial class TxProcessor
{
    private void QueueTuples(long e, int sourceAttrId)
    {
        _tupleQueue ??= [];
        if (!_tupleQueue.TryGetValue(e, out var set)) _tupleQueue[e] = set = [];
        foreach (var source in CurrentSchema.TupleSourcesOf(sourceAttrId)) set.Add(source.TupleAttrId);
    }

    /// <summary>Recomputes the composite tuples whose sources changed; a tuple of only nils is retracted.</summary>
    private void FlushTuples()
    {
        while (_tupleQueue is { Count: > 0 })
        {
            var queue = _tupleQueue;
            _tupleQueue = null;
            foreach (var (e, tupleIds) in queue)
            {
                foreach (int tupleId in tupleIds)
                {
                    if (!CurrentSchema.TryGet(tupleId, out var tuple) || tuple.TupleAttrs is null) continue;
                    var items = new object?[tuple.TupleAttrs.Length];
                    bool any = false;
                    for (int i = 0; i < items.Length; i++)
                    {
                        if (CurrentSchema.TryGet(tuple.TupleAttrs[i], out var source) && _ix.TryFirst(e, source.Id, out var d))
                        {
                            items[i] = d.V;
                            any = true;
                        }
                    }
                    if (any)
                    {
                        var value = EdnVector.Wrap(items);
                        Add(e, tuple, value, EdnVector.Create(Idents.DbAdd, e, tuple.Ident, value), computedTuple: true);
                    }
                    else if (_ix.TryFirst(e, tuple.Id, out var stale))
                    {
                        Retract(stale, tuple);
                    }
                }
            }
        }
    }
}
