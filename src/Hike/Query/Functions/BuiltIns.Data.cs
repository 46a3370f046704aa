using Hike.Db;
using Hike.Edn;
using Hike.Query.Execution;
using Hike.Query.Syntax;

namespace Hike.Query.Functions;

internal static partial class BuiltIns
{
    private static void AddCollections(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        Add(t, "vector", a => EdnVector.Create(a));
        Add(t, "tuple", a => EdnVector.Create(a));
        Add(t, "untuple", a => Forms.Items(One(a, "untuple")) is { } items ? EdnVector.Create(items) : throw Errors.QueryWhere($"untuple expects a tuple, got {Errors.Show(a[0])}"));
        Add(t, "list", a => EdnList.Create(a));
        Add(t, "set", a => EdnSet.Create(Forms.Items(One(a, "set")) ?? throw Errors.QueryWhere($"set expects a collection, got {Errors.Show(a[0])}")));
        Add(t, "hash-set", a => EdnSet.Create(a));
        Add(t, "hash-map", a => MapOf(a, "hash-map"));
        Add(t, "array-map", a => MapOf(a, "array-map"));
        Add(t, "count", a => (long)CountOf(One(a, "count")));
        Add(t, "empty?", a => CountOf(One(a, "empty?")) == 0);
        Add(t, "not-empty", a => CountOf(One(a, "not-empty")) == 0 ? null : a[0]);
        Add(t, "range", a =>
        {
            Arity(a, "range", 1, 3);
            long start = a.Length > 1 ? Arithmetic.RequireInteger(a[0], "range") : 0;
            long end = Arithmetic.RequireInteger(a.Length > 1 ? a[1] : a[0], "range");
            long step = a.Length > 2 ? Arithmetic.RequireInteger(a[2], "range") : 1;
            if (step == 0) throw Errors.QueryWhere("range: step must not be zero");
            // Counted before it is built: a range over the query's row bound fails instead of filling memory.
            Int128 span = step > 0 ? (Int128)end - start : (Int128)start - end;
            Int128 stride = step > 0 ? step : -(Int128)step;
            long count = span <= 0 ? 0 : (long)((span + stride - 1) / stride);
            var guard = QueryGuard.Current;
            guard.CheckRows(count);
            var items = new object?[count];
            long at = start;
            for (int i = 0; i < items.Length; i++, at += step)
            {
                guard.Tick();
                items[i] = at;
            }
            return EdnList.Wrap(items);
        });
        Add(t, "contains?", a =>
        {
            Arity(a, "contains?", 2, 2);
            return a[0] switch
            {
                null => false,
                EdnSet s => s.Contains(a[1]),
                EdnMap m => m.ContainsKey(a[1]!),
                string s => a[1] is long i && i >= 0 && i < s.Length,
                var c when Forms.Items(c) is { } items => a[1] is long i && i >= 0 && i < items.Length,
                var c when Maps.ToEntries(c) is { } entries => entries.Any(e => ValueEquality.Instance.Equals(e.Key, a[1])),
                var c => throw Errors.QueryWhere($"contains? not supported on {Errors.Show(c)}"),
            };
        });
        Add(t, "get", a =>
        {
            Arity(a, "get", 2, 3);
            object? fallback = a.Length == 3 ? a[2] : null;
            return a[0] switch
            {
                EdnMap m => m.TryGetValue(a[1]!, out var v) ? v : fallback,
                var c when Forms.Items(c) is { } items => a[1] is long i && i >= 0 && i < items.Length ? items[i] : fallback,
                var c when Maps.ToEntries(c) is { } entries => entries.FirstOrDefault(e => ValueEquality.Instance.Equals(e.Key, a[1]), new(null, fallback)).Value,
                _ => fallback,
            };
        });
    }

    private static EdnMap MapOf(object?[] a, string fn)
    {
        if (a.Length % 2 != 0) throw Errors.QueryWhere($"{fn} expects an even number of arguments");
        return EdnMap.Of(a);
    }

    private static int CountOf(object? x) => x switch
    {
        null => 0,
        string s => s.Length,
        EdnMap m => m.Count,
        EdnSet s => s.Count,
        _ => Forms.Items(x)?.Length ?? Maps.ToEntries(x)?.Count ?? throw Errors.QueryWhere($"count not supported on {Errors.Show(x)}"),
    };

    private static void AddDatabase(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        Add(t, "q", a =>
        {
            Arity(a, "q", 1);
            if (a[0] is null) throw Errors.QueryWhere("q expects a query");
            // The nested query runs under the outer one's guard: one timeout, one bound, one cancellation.
            return QueryEngine.Run(QueryEngine.Parse(a[0]!), a[1..], QueryOptions.None, null, QueryGuard.Current);
        });
        // Datomic's fulltext: [(fulltext $ :attr "query") [[?e ?v ?tx ?score]]], every match, best first.
        Add(t, "fulltext", a =>
        {
            Arity(a, "fulltext", 3, 3);
            if (a[0] is not DbSource { View: var view }) throw Errors.QueryWhere($"fulltext expects a database as its first argument, got {Errors.Show(a[0])}");
            if (a[1] is not Keyword ident) throw Errors.QueryWhere($"fulltext expects an attribute keyword, got {Errors.Show(a[1])}");
            if (a[2] is not string query) throw Errors.QueryWhere($"fulltext expects a query string, got {Errors.Show(a[2])}");
            if (!view.Schema.TryGet(ident, out var attribute)) throw Errors.FullTextNotIndexed(ident);
            var matches = view.FullTextSearch(attribute, query, int.MaxValue);
            QueryGuard.Current.CheckRows(matches.Count);
            var rows = new object?[matches.Count];
            for (int i = 0; i < rows.Length; i++) rows[i] = EdnVector.Create(matches[i].Entity, matches[i].Value, matches[i].Tx, (double)matches[i].Score);
            return EdnVector.Wrap(rows);
        });
        Add(t, "get-else", a =>
        {
            Arity(a, "get-else", 4, 4);
            if (a[3] is null) throw Errors.QueryWhere("get-else: nil default value is not supported");
            var (view, e, attr) = EntityAttribute(a, "get-else", 1);
            return e is null || attr is null ? a[3] : view.FirstValue(e.Value, attr.Id) ?? a[3];
        });
        Add(t, "get-some", a =>
        {
            Arity(a, "get-some", 3);
            for (int i = 2; i < a.Length; i++)
            {
                var (view, e, attr) = EntityAttribute([a[0], a[1], a[i]], "get-some", 1);
                if (e is null || attr is null) continue;
                if (view.FirstValue(e.Value, attr.Id) is { } v) return EdnVector.Create(attr.Ident, v);
            }
            return null;
        });
        Add(t, "missing?", a =>
        {
            Arity(a, "missing?", 3, 3);
            if (a[2] is Keyword { Name: ['_', ..] } reverse && a[0] is DbSource { View: var rv })
            {
                // A reverse attribute, :_parent: missing when no entity points here through :parent.
                var forward = Keyword.Intern(reverse.Namespace, reverse.Name[1..]);
                long? target = a[1] is long t ? t : a[1] is null ? null : rv.Entid(a[1]);
                if (target is null || !rv.Schema.TryGet(forward, out var refAttr)) return true;
                foreach (var _ in rv.ReverseRefDatoms(target.Value, refAttr.Id)) return false;
                return true;
            }
            var (view, e, attr) = EntityAttribute(a, "missing?", 1);
            return e is null || attr is null || view.FirstValue(e.Value, attr.Id) is null;
        });
    }

    private static (DbView View, long? Entity, DbAttribute? Attribute) EntityAttribute(object?[] a, string fn, int at)
    {
        if (a[0] is not DbSource source) throw Errors.QueryWhere($"{fn} expects a database as its first argument, got {Errors.Show(a[0])}");
        var view = source.View;
        long? e = a[at] is long l ? l : a[at] is null ? null : view.Entid(a[at]);
        if (a[at + 1] is not Keyword k) throw Errors.QueryWhere($"{fn} expects an attribute keyword, got {Errors.Show(a[at + 1])}");
        if (!view.Schema.TryGet(k, out var attr))
        {
            if (view.State.Options.SchemaFlexibility == SchemaFlexibility.Write) throw Errors.QueryWhere($"{fn}: attribute {k} is not defined in the schema");
            return (view, e, null);
        }
        return (view, e, attr);
    }
}
