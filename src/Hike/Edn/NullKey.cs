namespace Hike.Edn;

/// <summary>
/// Stands in for <c>nil</c> where .NET hash collections refuse <c>null</c> keys, so EDN maps and sets
/// can hold <c>nil</c> like any other value.
/// </summary>
internal sealed class NullKey
{
    public static readonly NullKey Instance = new();

    /// <summary>Value-semantics comparer that treats <see cref="Instance"/> as <c>nil</c>.</summary>
    public static readonly IEqualityComparer<object> Comparer = new UnwrappingComparer();

    private NullKey()
    {
    }

    public static object Wrap(object? key) => key ?? Instance;

    public static object? Unwrap(object key) => ReferenceEquals(key, Instance) ? null : key;

    private sealed class UnwrappingComparer : IEqualityComparer<object>
    {
        public new bool Equals(object? x, object? y) =>
            ValueEquality.Instance.Equals(x is null ? null : Unwrap(x), y is null ? null : Unwrap(y));

        public int GetHashCode(object obj) => ValueEquality.Instance.GetHashCode(Unwrap(obj));
    }
}
