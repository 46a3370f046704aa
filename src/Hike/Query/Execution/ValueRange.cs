using Hike.Edn;

namespace Hike.Query.Execution;

/// <summary>
/// Bounds on a pattern's value from comparison predicates pushed into it (<c>[(&gt; ?v 5)]</c>), in
/// <see cref="ValueOrder"/>, which is also the order of comparisons in queries. Immutable.
/// </summary>
internal sealed record ValueRange(object? Low, bool LowStrict, bool HasLow, object? High, bool HighStrict, bool HasHigh)
{
    public static readonly ValueRange All = new(null, false, false, null, false, false);

    public ValueRange WithLow(object? value, bool strict)
    {
        if (HasLow)
        {
            int c = ValueOrder.CompareValues(value, Low);
            if (c < 0 || c == 0 && !strict) return this;
        }
        return this with { Low = value, LowStrict = strict, HasLow = true };
    }

    public ValueRange WithHigh(object? value, bool strict)
    {
        if (HasHigh)
        {
            int c = ValueOrder.CompareValues(value, High);
            if (c > 0 || c == 0 && !strict) return this;
        }
        return this with { High = value, HighStrict = strict, HasHigh = true };
    }

    public bool Contains(object? v)
    {
        if (HasLow)
        {
            int c = ValueOrder.CompareValues(v, Low);
            if (c < 0 || c == 0 && LowStrict) return false;
        }
        if (HasHigh)
        {
            int c = ValueOrder.CompareValues(v, High);
            if (c > 0 || c == 0 && HighStrict) return false;
        }
        return true;
    }

    public override string ToString() =>
        $"{(HasLow ? (LowStrict ? "(" : "[") + EdnPrinter.Print(Low) : "(-inf")}, {(HasHigh ? EdnPrinter.Print(High) + (HighStrict ? ")" : "]") : "+inf)")}";
}
