using System.Collections.Concurrent;

namespace Hike.Edn;

/// <summary>
/// An EDN keyword such as <c>:db/id</c> or <c>:name</c>. Keywords are interned: two keywords with the
/// same namespace and name are the same instance, so equality is a reference comparison.
/// Thread-safe.
/// </summary>
public sealed class Keyword : EdnName, IComparable<Keyword>, IEquatable<Keyword>
{
    private static readonly ConcurrentDictionary<string, Keyword> Table = new(StringComparer.Ordinal);

    private Keyword(string fullName)
        : base(fullName, 0x5bd1e995)
    {
    }

    /// <summary>
    /// Returns the keyword for <paramref name="fullName"/>, e.g. <c>"db/id"</c> or <c>":db/id"</c>
    /// (a leading colon is ignored). The namespace is everything before the first <c>/</c>, as in
    /// Clojure's <c>keyword</c> function; a lone <c>"/"</c> is a name without namespace.
    /// </summary>
    public static Keyword Intern(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (fullName.Length > 0 && fullName[0] == ':') fullName = fullName[1..];
        if (Table.TryGetValue(fullName, out var k)) return k;
        ArgumentException.ThrowIfNullOrEmpty(fullName);
        return Table.GetOrAdd(fullName, static name => new Keyword(name));
    }

    /// <summary>Returns the keyword with the given namespace (may be <c>null</c>) and name.</summary>
    public static Keyword Intern(string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Intern(ns is null ? name : ns + "/" + name);
    }

    /// <summary>Orders keywords as Clojure does: no namespace first, then by namespace, then by name (ordinal).</summary>
    public int CompareTo(Keyword? other) => CompareNames(other);

    /// <inheritdoc />
    public bool Equals(Keyword? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => base.GetHashCode();

    /// <summary>The keyword as EDN text, e.g. <c>:db/id</c>.</summary>
    public override string ToString() => ":" + FullName;
}
