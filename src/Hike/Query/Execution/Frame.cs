using Hike.Edn;

namespace Hike.Query.Execution;

/// <summary>
/// The bindings of a query in progress: relations over disjoint sets of variables, whose product is
/// the set of answers so far. Keeping unconnected relations apart defers products until a clause
/// needs them. Single-threaded.
/// </summary>
internal sealed class Frame
{
    private readonly List<Relation> _relations;

    public Frame() => _relations = [];

    public IReadOnlyList<Relation> Relations => _relations;

    /// <summary>True when some relation has no rows: the query has no answers.</summary>
    public bool IsEmpty
    {
        get
        {
            foreach (var r in _relations)
            {
                if (r.Count == 0) return true;
            }
            return false;
        }
    }

    public bool IsBound(Symbol v) => RelationOf(v) is not null;

    public Relation? RelationOf(Symbol v)
    {
        foreach (var r in _relations)
        {
            if (r.Has(v)) return r;
        }
        return null;
    }

    /// <summary>The value of <paramref name="v"/> when it is bound to exactly one value.</summary>
    public bool TryGetSingle(Symbol v, out object? value)
    {
        var r = RelationOf(v);
        if (r is { Count: 1 })
        {
            value = r.Rows[0][r.IndexOf(v)];
            return true;
        }
        value = null;
        return false;
    }

    /// <summary>Adds a relation, joining it with the relations it shares variables with.</summary>
    public void Add(Relation relation)
    {
        for (int i = _relations.Count - 1; i >= 0; i--)
        {
            var r = _relations[i];
            if (!relation.Vars.Any(r.Has)) continue;
            _relations.RemoveAt(i);
            relation = Joins.HashJoin(r, relation);
        }
        _relations.Add(relation);
    }

    /// <summary>
    /// Replaces the relations binding any of <paramref name="vars"/> by their product and returns
    /// it (the unit relation when none is bound).
    /// </summary>
    public Relation Collapse(IEnumerable<Symbol> vars)
    {
        Relation? merged = null;
        for (int i = 0; i < _relations.Count;)
        {
            var r = _relations[i];
            if (vars.Any(r.Has))
            {
                merged = merged is null ? r : Joins.Product(merged, r);
                _relations.RemoveAt(i);
                continue;
            }
            i++;
        }
        merged ??= Relation.Unit();
        _relations.Add(merged);
        return merged;
    }

    /// <summary>
    /// Puts <paramref name="next"/> in place of <paramref name="previous"/>, joined with any other
    /// relation binding one of its variables (a pattern read from one of several relations binds the
    /// others' variables too).
    /// </summary>
    public void Replace(Relation previous, Relation next)
    {
        int i = _relations.IndexOf(previous);
        if (i < 0) throw new InvalidOperationException("Relation is not part of this frame.");
        _relations.RemoveAt(i);
        Add(next);
    }

    /// <summary>The product of every relation.</summary>
    public Relation ToRelation()
    {
        var result = Relation.Unit();
        foreach (var r in _relations) result = Joins.Product(result, r);
        return result;
    }
}
