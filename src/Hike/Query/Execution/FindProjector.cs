using Hike.Edn;
using Hike.Pull;
using Hike.Query.Functions;
using Hike.Query.Syntax;

namespace Hike.Query.Execution;

/// <summary>
/// Shapes the bindings left by the <c>:where</c> clauses into the answer the find spec asks for:
/// distinct tuples over the find and <c>:with</c> variables, grouped and aggregated, pulled, turned
/// into maps by <c>:keys</c>/<c>:strs</c>/<c>:syms</c>, ordered and paged, and returned as a set,
/// a vector (with aggregates, pull, return maps or <c>:with</c>, as Datahike), a collection, a tuple or a scalar.
/// </summary>
internal static class FindProjector
{
    public static object? Project(ParsedQuery query, Frame frame, QueryContext context, QueryOptions options)
    {
        QueryGuard.Current.Step = new FindStep(query);
        var needed = query.Find.Select(f => f.Variable).Concat(query.With).Distinct().ToArray();
        var tuples = frame.IsEmpty ? [] : Collect(frame, needed);
        var rows = query.HasAggregates
            ? Aggregate(query, frame, tuples, needed)
            : Select(query, tuples, needed);
        Pull(query, frame, context, rows);
        rows = Order(query, rows, options);
        return Shape(query, rows, options);
    }

    /// <summary>The distinct tuples over <paramref name="needed"/>: the product of the relations binding them, each projected first.</summary>
    private static RowList Collect(Frame frame, Symbol[] needed)
    {
        var result = Relation.Unit();
        foreach (var r in frame.Relations)
        {
            var mine = needed.Where(r.Has).ToArray();
            if (mine.Length > 0) result = Joins.Product(result, Joins.Project(r, mine));
        }
        var missing = needed.Where(v => !result.Has(v)).ToList();
        if (missing.Count > 0) throw Errors.Parser(ErrorCodes.ParserQuery, $"Query for unknown vars: [{string.Join(" ", missing)}]");
        return Joins.Project(result, needed).Rows;
    }

    private static RowList Select(ParsedQuery query, RowList tuples, Symbol[] needed)
    {
        var cols = query.Find.Select(f => Array.IndexOf(needed, f.Variable)).ToArray();
        if (cols.Length == needed.Length && cols.Select((c, i) => c == i).All(x => x)) return tuples;
        var rows = new RowList(tuples.Count);
        foreach (var t in tuples) rows.Add(Joins.Pick(t, cols));
        return rows;
    }

    private static RowList Aggregate(ParsedQuery query, Frame frame, RowList tuples, Symbol[] needed)
    {
        var keyIndexes = new List<int>();
        for (int i = 0; i < query.Find.Length; i++)
        {
            if (query.Find[i].Kind != FindElementKind.Aggregate) keyIndexes.Add(i);
        }
        var keyCols = keyIndexes.Select(i => Array.IndexOf(needed, query.Find[i].Variable)).ToArray();
        var groups = new Dictionary<object?[], RowList>(new RowKey(keyCols));
        var order = new RowList();
        var guard = QueryGuard.Current;
        foreach (var t in tuples)
        {
            guard.Tick();
            if (!groups.TryGetValue(t, out var members))
            {
                groups[t] = members = [];
                order.Add(t);
            }
            members.Add(t);
        }
        var aggregates = query.Find.Select(f => f.Kind == FindElementKind.Aggregate ? Resolve(f, frame) : default).ToArray();
        var rows = new RowList(order.Count);
        foreach (var first in order)
        {
            guard.Tick();
            var members = groups[first];
            var row = new object?[query.Find.Length];
            for (int i = 0; i < query.Find.Length; i++)
            {
                var f = query.Find[i];
                int col = Array.IndexOf(needed, f.Variable);
                if (f.Kind != FindElementKind.Aggregate)
                {
                    row[i] = first[col];
                    continue;
                }
                var values = new List<object?>(members.Count);
                foreach (var m in members) values.Add(m[col]);
                row[i] = Invoke(f, aggregates[i], values);
            }
            rows.Add(row);
        }
        return rows;
    }

    private static (Func<object?[], List<object?>, object?> Fn, object?[] Args) Resolve(FindElement f, Frame frame)
    {
        var args = new List<object?>();
        foreach (var a in f.Args)
        {
            if (a.IsConstant) args.Add(a.Value);
            else if (frame.TryGetSingle(a.Symbol!, out var v)) args.Add(v);
            else throw Errors.QueryWhere($"Aggregate argument {a} in {f} must be a constant or an input bound to one value");
        }
        var name = f.Function!;
        if (name.Namespace is null && name.Name == "aggregate")
        {
            if (args.Count == 0 || args[0] is null) throw Errors.QueryWhere($"Custom aggregate {f} needs a function as its first argument");
            var custom = args[0] is Delegate d ? FunctionAdapter.Adapt(d) : throw Errors.QueryWhere($"{Errors.Show(args[0])} is not a function in {f}");
            return ((extra, values) => custom([.. extra.Skip(1), EdnVector.Create([.. values])]), [.. args]);
        }
        if (Term.IsVariableSymbol(name))
        {
            if (!frame.TryGetSingle(name, out var fnValue) || fnValue is not Delegate d)
            {
                throw Errors.QueryWhere($"{name} in {f} must be an input bound to a function");
            }
            var custom = FunctionAdapter.Adapt(d);
            return ((extra, values) => custom([.. extra, EdnVector.Create([.. values])]), [.. args]);
        }
        if (!Aggregates.TryGet(name, out var fn)) throw Errors.QueryWhere($"Unknown aggregate function '{name}' in {f}");
        return (fn, [.. args]);
    }

    private static object? Invoke(FindElement f, (Func<object?[], List<object?>, object?> Fn, object?[] Args) aggregate, List<object?> values)
    {
        try
        {
            return aggregate.Fn(aggregate.Args, values);
        }
        catch (HikeException)
        {
            throw;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            throw Errors.QueryWhere($"Aggregate {f} failed: {e.Message}", e);
        }
    }

    private static void Pull(ParsedQuery query, Frame frame, QueryContext context, RowList rows)
    {
        for (int i = 0; i < query.Find.Length; i++)
        {
            var f = query.Find[i];
            if (f.Kind != FindElementKind.Pull) continue;
            var source = context.Source(f.Source!, null, f.Form) as DbSource
                ?? throw Errors.QueryWhere($"{f} needs a database source");
            object? patternForm = f.Pattern.Value;
            if (f.Pattern.IsVariable && !frame.TryGetSingle(f.Pattern.Symbol!, out patternForm))
            {
                throw Errors.QueryWhere($"Pull pattern {f.Pattern} in {f} must be an input bound to one pattern");
            }
            var pattern = PullPatternCache.Get(patternForm);
            var guard = QueryGuard.Current;
            foreach (var row in rows)
            {
                guard.Tick();
                var eid = row[i] is long l ? l : row[i] is null ? null : source.View.Entid(row[i]);
                row[i] = eid is null ? null : PullEvaluator.Pull(source.View, pattern, eid.Value, guard.Token);
            }
        }
    }

    private static RowList Order(ParsedQuery query, RowList rows, QueryOptions options)
    {
        if (!options.Ordered) return rows;
        IEnumerable<object?[]> ordered = rows;
        if (options.OrderBy.Count > 0)
        {
            var keys = options.OrderBy.Select(k => (Column: Column(query, k.Key), k.Descending)).ToArray();
            var sorted = new List<object?[]>(rows);
            var guard = QueryGuard.Current;
            try
            {
                sorted.Sort((x, y) =>
                {
                    guard.Tick();
                    foreach (var (col, desc) in keys)
                    {
                        int c = ValueOrder.CompareValues(x[col], y[col]);
                        if (c != 0) return desc ? -c : c;
                    }
                    return 0;
                });
            }
            catch (InvalidOperationException e) when (e.InnerException is OperationCanceledException or HikeException)
            {
                // Sort wraps what a comparison throws; the guard's stop is the query's own error.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            }
            ordered = sorted;
        }
        ordered = ordered.Skip((int)Math.Min(options.Offset, int.MaxValue));
        if (options.Limit is { } limit && limit >= 0) ordered = ordered.Take((int)Math.Min(limit, int.MaxValue));
        var result = new RowList();
        result.AddRange(ordered);
        return result;
    }

    private static int Column(ParsedQuery query, object key)
    {
        if (key is long index)
        {
            return index >= 0 && index < query.Find.Length ? (int)index : throw Errors.Parser(ErrorCodes.ParserQuery, $":order-by column {index} is outside the find spec");
        }
        for (int i = 0; i < query.Find.Length; i++)
        {
            if (query.Find[i].Kind == FindElementKind.Variable && query.Find[i].Variable == (Symbol)key) return i;
        }
        throw Errors.Parser(ErrorCodes.ParserQuery, $":order-by {key} is not a variable of :find");
    }

    private static object? Shape(ParsedQuery query, RowList rows, QueryOptions options)
    {
        switch (query.Shape)
        {
            case FindShape.Scalar:
                return rows.Count == 0 ? null : rows[0][0];
            case FindShape.Collection:
                var values = new object?[rows.Count];
                for (int i = 0; i < values.Length; i++) values[i] = rows[i][0];
                return EdnVector.Wrap(values);
            case FindShape.Tuple:
                return rows.Count == 0 ? null : Output(query, rows[0]);
        }
        var items = new object?[rows.Count];
        for (int i = 0; i < items.Length; i++) items[i] = Output(query, rows[i]);
        if (options.OrderBy.Count > 0) return EdnVector.Wrap(items);
        // Datahike pages an unordered answer into a set, whatever shape it had before.
        if (options.Ordered) return EdnSet.Create(items);
        // Datahike's aggregate, find-pull, :keys and :with each turn the distinct tuples into a sequence
        // (one element per group or tuple), which its post-processing makes a vector; equal elements stay.
        bool sequence = query.With.Length > 0 || query.HasAggregates || query.ReturnKeys is not null || query.Find.Any(f => f.Kind == FindElementKind.Pull);
        return sequence ? EdnVector.Wrap(items) : EdnSet.FromDistinct(items);
    }

    private static object Output(ParsedQuery query, object?[] row)
    {
        if (query.ReturnKeys is not { } keys) return EdnVector.Wrap(row);
        var kv = new object?[keys.Length * 2];
        for (int i = 0; i < keys.Length; i++)
        {
            kv[2 * i] = keys[i];
            kv[2 * i + 1] = row[i];
        }
        return EdnMap.Of(kv);
    }

    /// <summary>The find spec, named by an error while the answer is shaped.</summary>
    private sealed record FindStep(ParsedQuery Query)
    {
        public override string ToString() => ":find " + string.Join(" ", Query.Find.Select(f => f.ToString()));
    }
}
