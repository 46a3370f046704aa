using Hike.Edn;

namespace Hike.Query.Functions;

internal static partial class BuiltIns
{
    private static void AddMath(Dictionary<Symbol, Func<object?[], object?>> t)
    {
        Add(t, "+", a => Fold(a, "+", 0L, Arithmetic.Add));
        Add(t, "*", a => Fold(a, "*", 1L, Arithmetic.Multiply));
        Add(t, "-", a =>
        {
            Arity(a, "-", 1);
            return a.Length == 1 ? Arithmetic.Negate(a[0], "-") : FoldFrom(a, "-", Arithmetic.Subtract);
        });
        Add(t, "/", a =>
        {
            Arity(a, "/", 1);
            return a.Length == 1 ? Arithmetic.Divide(1L, a[0], "/") : FoldFrom(a, "/", Arithmetic.Divide);
        });
        Add(t, "quot", a => Two(a, "quot", Arithmetic.Quot));
        Add(t, "rem", a => Two(a, "rem", Arithmetic.Rem));
        Add(t, "mod", a => Two(a, "mod", Arithmetic.Mod));
        Add(t, "inc", a => Arithmetic.Add(One(a, "inc"), 1L, "inc"));
        Add(t, "dec", a => Arithmetic.Subtract(One(a, "dec"), 1L, "dec"));
        Add(t, "max", a => Extreme(a, "max", c => c > 0));
        Add(t, "min", a => Extreme(a, "min", c => c < 0));
        Add(t, "zero?", a => Arithmetic.Sign(One(a, "zero?"), "zero?") == 0);
        Add(t, "pos?", a => Arithmetic.Sign(One(a, "pos?"), "pos?") > 0);
        Add(t, "neg?", a => Arithmetic.Sign(One(a, "neg?"), "neg?") < 0);
        Add(t, "even?", a => (Arithmetic.RequireInteger(One(a, "even?"), "even?") & 1) == 0);
        Add(t, "odd?", a => (Arithmetic.RequireInteger(One(a, "odd?"), "odd?") & 1) != 0);
        Add(t, "rand", a =>
        {
            Arity(a, "rand", 0, 1);
            double r = Random.Shared.NextDouble();
            return a.Length == 0 ? r : r * Numbers.ToDouble(Arithmetic.Require(a[0], "rand"));
        });
        Add(t, "rand-int", a =>
        {
            long n = Arithmetic.RequireInteger(One(a, "rand-int"), "rand-int");
            return n <= 0 ? 0L : Random.Shared.NextInt64(n);
        });
    }

    private static object Fold(object?[] a, string fn, object identity, Func<object?, object?, string, object> op)
    {
        if (a.Length == 0) return identity;
        object acc = Arithmetic.Require(a[0], fn);
        for (int i = 1; i < a.Length; i++) acc = op(acc, a[i], fn);
        return acc;
    }

    private static object FoldFrom(object?[] a, string fn, Func<object?, object?, string, object> op)
    {
        object acc = Arithmetic.Require(a[0], fn);
        for (int i = 1; i < a.Length; i++) acc = op(acc, a[i], fn);
        return acc;
    }

    private static object Two(object?[] a, string fn, Func<object?, object?, string, object> op)
    {
        Arity(a, fn, 2, 2);
        return op(a[0], a[1], fn);
    }

    private static object Extreme(object?[] a, string fn, Func<int, bool> better)
    {
        Arity(a, fn, 1);
        object best = Arithmetic.Require(a[0], fn);
        for (int i = 1; i < a.Length; i++)
        {
            if (better(Arithmetic.Compare(a[i], best, fn))) best = a[i]!;
        }
        return best;
    }
}
