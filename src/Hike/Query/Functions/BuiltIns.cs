using System.Collections.Concurrent;
using Hike.Edn;

namespace Hike.Query.Functions;

/// <summary>
/// The functions and predicates a query may call by symbol, with Datahike's semantics: Clojure's
/// equality and numeric tower, comparisons over any values in index order, strings, regular
/// expressions, collections and the database functions (<c>get-else</c>, <c>get-some</c>,
/// <c>missing?</c>). Functions registered by the application sit beside them. Thread-safe.
/// </summary>
internal static partial class BuiltIns
{
    private static readonly Dictionary<Symbol, Func<object?[], object?>> Table = Build();
    private static readonly ConcurrentDictionary<Symbol, Func<object?[], object?>> Registered = new();

    /// <summary>The comparison predicates a planner may turn into index bounds, with how each bounds its left argument.</summary>
    public static readonly IReadOnlyDictionary<Symbol, (bool Low, bool Strict)> RangePredicates = new Dictionary<Symbol, (bool, bool)>
    {
        [Symbol.Intern("<")] = (false, true),
        [Symbol.Intern("<=")] = (false, false),
        [Symbol.Intern(">")] = (true, true),
        [Symbol.Intern(">=")] = (true, false),
    };

    public static bool TryGet(Symbol name, out Func<object?[], object?> function) =>
        Table.TryGetValue(name, out function!) || Registered.TryGetValue(name, out function!);

    public static bool IsBuiltIn(Symbol name) => Table.ContainsKey(name);

    /// <summary>Registers an application function; built-in names cannot be replaced.</summary>
    public static void Register(Symbol name, Func<object?[], object?> function)
    {
        if (Table.ContainsKey(name) || Aggregates.IsBuiltIn(name))
        {
            throw new ArgumentException($"{name} is a built-in query function and cannot be replaced.", nameof(name));
        }
        Registered[name] = function;
    }

    public static bool Truthy(object? x) => x is not null && x is not false;

    private static Dictionary<Symbol, Func<object?[], object?>> Build()
    {
        var t = new Dictionary<Symbol, Func<object?[], object?>>();
        AddComparisons(t);
        AddMath(t);
        AddLogic(t);
        AddText(t);
        AddCollections(t);
        AddDatabase(t);
        return t;
    }

    private static void Add(Dictionary<Symbol, Func<object?[], object?>> t, string name, Func<object?[], object?> f) => t[Symbol.Intern(name)] = f;

    private static void Arity(object?[] args, string fn, int min, int max = int.MaxValue)
    {
        if (args.Length < min || args.Length > max)
        {
            throw Errors.QueryWhere($"Wrong number of args ({args.Length}) passed to {fn}");
        }
    }

    private static void AddComparisons(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        Add(t, "=", a => AllPairs(a, "=", (x, y) => ValueEquality.Instance.Equals(x, y)));
        Add(t, "==", a => AllPairs(a, "==", (x, y) => Arithmetic.Compare(x, y, "==") == 0));
        Add(t, "not=", a => !AllPairs(a, "not=", (x, y) => ValueEquality.Instance.Equals(x, y)));
        Add(t, "!=", a => !AllPairs(a, "!=", (x, y) => ValueEquality.Instance.Equals(x, y)));
        Add(t, "<", a => Chain(a, "<", c => c < 0));
        Add(t, ">", a => Chain(a, ">", c => c > 0));
        Add(t, "<=", a => Chain(a, "<=", c => c <= 0));
        Add(t, ">=", a => Chain(a, ">=", c => c >= 0));
        Add(t, "compare", a =>
        {
            Arity(a, "compare", 2, 2);
            return (long)Math.Sign(ValueOrder.CompareValues(a[0], a[1]));
        });
        Add(t, "identical?", a =>
        {
            Arity(a, "identical?", 2, 2);
            return ReferenceEquals(a[0], a[1]) || a[0] is long x && a[1] is long y && x == y;
        });
    }

    private static bool AllPairs(object?[] a, string fn, Func<object?, object?, bool> test)
    {
        Arity(a, fn, 1);
        for (int i = 1; i < a.Length; i++)
        {
            if (!test(a[0], a[i])) return false;
        }
        return true;
    }

    /// <summary>Comparisons order any two values as the indices do (numbers by value, then strings, keywords, ...).</summary>
    private static bool Chain(object?[] a, string fn, Func<int, bool> test)
    {
        Arity(a, fn, 1);
        for (int i = 1; i < a.Length; i++)
        {
            if (!test(ValueOrder.CompareValues(a[i - 1], a[i]))) return false;
        }
        return true;
    }

    private static void AddLogic(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        Add(t, "true?", a => One(a, "true?") is true);
        Add(t, "false?", a => One(a, "false?") is false);
        Add(t, "nil?", a => One(a, "nil?") is null);
        Add(t, "some?", a => One(a, "some?") is not null);
        Add(t, "not", a => !Truthy(One(a, "not")));
        Add(t, "identity", a => One(a, "identity"));
        Add(t, "ground", a => One(a, "ground"));
        Add(t, "and", a =>
        {
            object? last = true;
            foreach (var x in a)
            {
                if (!Truthy(x)) return x;
                last = x;
            }
            return last;
        });
        Add(t, "or", a =>
        {
            foreach (var x in a)
            {
                if (Truthy(x)) return x;
            }
            return a.Length == 0 ? null : a[^1];
        });
    }

    private static object? One(object?[] a, string fn)
    {
        Arity(a, fn, 1, 1);
        return a[0];
    }
}
