using System.Collections.Concurrent;

namespace Hike.Edn;

/// <summary>
/// An EDN keyword such as <c>:db/id</c> or <c>:name</c>. Keywords are interned: two keywords with the
/// same namespace and name are the same instance, so equality is a reference comparison.
/// Thread-safe.
/// </summary>
public sealed class Keyword : IComparable<Keyword>, IEquatable<Keyword>
{
    private static readonly ConcurrentDictionary<string, Keyword> Table = new(StringComparer.Ordinal);

    private readonly int _hash;

    private Keyword(string? ns, string name, string fullName)
    {
        Namespace = ns;
        Name = name;
        FullName = fullName;
        _hash = StringComparer.Ordinal.GetHashCode(fullName) ^ 0x5bd1e995;
    }

    /// <summary>The namespace part (before the first <c>/</c>), or <c>null</c>.</summary>
    public string? Namespace { get; }

    /// <summary>The name part.</summary>
    public string Name { get; }

    /// <summary>Namespace and name joined by <c>/</c>, without the leading colon.</summary>
    public string FullName { get; }

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
        int slash = fullName.IndexOf('/', StringComparison.Ordinal);
        k = slash > 0 && slash < fullName.Length - 1
            ? new Keyword(fullName[..slash], fullName[(slash + 1)..], fullName)
            : new Keyword(null, fullName, fullName);
        return Table.GetOrAdd(fullName, k);
    }

    /// <summary>Returns the keyword with the given namespace (may be <c>null</c>) and name.</summary>
    public static Keyword Intern(string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Intern(ns is null ? name : ns + "/" + name);
    }

    /// <summary>Orders keywords as Clojure does: no namespace first, then by namespace, then by name (ordinal).</summary>
    public int CompareTo(Keyword? other)
    {
        if (ReferenceEquals(this, other)) return 0;
        if (other is null) return 1;
        if (Namespace != other.Namespace)
        {
            if (Namespace is null) return -1;
            if (other.Namespace is null) return 1;
            int c = string.CompareOrdinal(Namespace, other.Namespace);
            if (c != 0) return c;
        }
        return string.CompareOrdinal(Name, other.Name);
    }

    /// <inheritdoc />
    public bool Equals(Keyword? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The keyword as EDN text, e.g. <c>:db/id</c>.</summary>
    public override string ToString() => ":" + FullName;
}
