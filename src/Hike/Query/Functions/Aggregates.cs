using System.Collections.Concurrent;
using Hike.Edn;

namespace Hike.Query.Functions;

/// <summary>
/// The aggregate functions of <c>:find</c>: each receives its leading arguments (e.g. <c>n</c> of
/// <c>(max n ?x)</c>) and the bag of values of its variable in one group, and returns one value
/// with Datahike's result types. Applications may register more. Thread-safe.
/// </summary>
internal static class Aggregates
{
    private static readonly Dictionary<Symbol, Func<object?[], List<object?>, object?>> Table = Build();
    private static readonly ConcurrentDictionary<Symbol, Func<object?[], List<object?>, object?>> Registered = new();

    public static bool IsBuiltIn(Symbol name) => Table.ContainsKey(name);

    public static bool TryGet(Symbol name, out Func<object?[], List<object?>, object?> aggregate) =>
        Table.TryGetValue(name, out aggregate!) || Registered.TryGetValue(name, out aggregate!);

    public static void Register(Symbol name, Func<object?[], List<object?>, object?> aggregate)
    {
        if (Table.ContainsKey(name) || BuiltIns.IsBuiltIn(name))
        {
            throw new ArgumentException($"{name} is a built-in query function and cannot be replaced.", nameof(name));
        }
        Registered[name] = aggregate;
    }

    private static Dictionary<Symbol, Func<object?[], List<object?>, object?>> Build()
    {
        var t = new Dictionary<Symbol, Func<object?[], List<object?>, object?>>();
        void Add(string name, Func<object?[], List<object?>, object?> f) => t[Symbol.Intern(name)] = f;
        Add("count", (_, xs) => (long)xs.Count);
        Add("count-distinct", (_, xs) => (long)xs.Distinct(ValueEquality.Instance).Count());
        Add("sum", (_, xs) => Sum(xs, "sum"));
        Add("avg", (_, xs) => Average(xs, "avg"));
        Add("median", (_, xs) =>
        {
            if (xs.Count == 0) return null;
            var sorted = Sorted(xs);
            int mid = sorted.Count / 2;
            if (sorted.Count % 2 == 0) return Real(Arithmetic.Divide(Arithmetic.Add(sorted[mid - 1], sorted[mid], "median"), 2L, "median"));
            // A non-numeric median (an instant, say) has no real-valued reading and is returned as it is.
            return sorted[mid] is { } m && Numbers.IsNumber(m) ? Real(m) : sorted[mid];
        });
        Add("variance", (_, xs) => Variance(xs, "variance"));
        Add("stddev", (_, xs) => Variance(xs, "stddev") is double v ? Math.Sqrt(v) : null);
        Add("min", (args, xs) => args.Length == 0 ? Extreme(xs, -1) : Sorted(xs).Take(Count(args, "min")).ToEdnVector());
        Add("max", (args, xs) => args.Length == 0 ? Extreme(xs, 1) : Sorted(xs).TakeLast(Count(args, "max")).ToEdnVector());
        Add("distinct", (_, xs) => EdnSet.Create(xs));
        Add("rand", (args, xs) =>
        {
            if (xs.Count == 0) return null;
            if (args.Length == 0) return xs[Random.Shared.Next(xs.Count)];
            int n = Count(args, "rand");
            return Enumerable.Range(0, n).Select(_ => xs[Random.Shared.Next(xs.Count)]).ToEdnVector();
        });
        Add("sample", (args, xs) =>
        {
            var distinct = xs.Distinct(ValueEquality.Instance).ToArray();
            Random.Shared.Shuffle(distinct);
            return distinct.Take(Count(args, "sample")).ToEdnVector();
        });
        return t;
    }

    private static EdnVector ToEdnVector(this IEnumerable<object?> items) => EdnVector.Create([.. items]);

    private static int Count(object?[] args, string fn)
    {
        if (args.Length != 1) throw Errors.QueryWhere($"Wrong number of arguments to aggregate {fn}");
        long n = Arithmetic.RequireInteger(args[0], fn);
        return n < 0 ? 0 : (int)Math.Min(n, int.MaxValue);
    }

    private static List<object?> Sorted(List<object?> xs)
    {
        var sorted = new List<object?>(xs);
        sorted.Sort(ValueOrder.CompareValues);
        return sorted;
    }

    private static object? Extreme(List<object?> xs, int direction)
    {
        if (xs.Count == 0) return null;
        var best = xs[0];
        foreach (var x in xs)
        {
            if (ValueOrder.CompareValues(x, best) * direction > 0) best = x;
        }
        return best;
    }

    private static object Sum(List<object?> xs, string fn)
    {
        object acc = 0L;
        foreach (var x in xs) acc = Arithmetic.Add(acc, x, fn);
        return acc;
    }

    /// <summary>The exact mean as a double: Datahike's avg is real-valued even when the division is exact.</summary>
    private static object? Average(List<object?> xs, string fn) => xs.Count == 0 ? null : Real(Arithmetic.Divide(Sum(xs, fn), (long)xs.Count, fn));

    /// <summary>
    /// The population variance (the mean squared deviation from the mean, ÷n), a double as in
    /// Datahike: a query's answer set is the whole population, and a one-value group gives 0.0.
    /// </summary>
    private static object? Variance(List<object?> xs, string fn)
    {
        if (xs.Count == 0) return null;
        var mean = Average(xs, fn)!;
        object sum = 0L;
        foreach (var x in xs)
        {
            var d = Arithmetic.Subtract(x, mean, fn);
            sum = Arithmetic.Add(sum, Arithmetic.Multiply(d, d, fn), fn);
        }
        return Real(Arithmetic.Divide(sum, (long)xs.Count, fn));
    }

    private static double Real(object? number) => Numbers.ToDouble(number!);
}
