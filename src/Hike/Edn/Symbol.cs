using System.Collections.Concurrent;

namespace Hike.Edn;

/// <summary>
/// An EDN symbol such as <c>?e</c> or <c>clojure.string/join</c>. Symbols are interned: two symbols with the
/// same namespace and name are the same instance, so equality is a reference comparison.
/// Thread-safe.
/// </summary>
public sealed class Symbol : IComparable<Symbol>, IEquatable<Symbol>
{
    private static readonly ConcurrentDictionary<string, Symbol> Table = new(StringComparer.Ordinal);

    private readonly int _hash;

    private Symbol(string? ns, string name, string fullName)
    {
        Namespace = ns;
        Name = name;
        FullName = fullName;
        _hash = StringComparer.Ordinal.GetHashCode(fullName) ^ 0x1b873593;
    }

    /// <summary>The namespace part (before the first <c>/</c>), or <c>null</c>.</summary>
    public string? Namespace { get; }

    /// <summary>The name part.</summary>
    public string Name { get; }

    /// <summary>Namespace and name joined by <c>/</c>, without the leading colon.</summary>
    public string FullName { get; }

    /// <summary>
    /// Returns the symbol for <paramref name="fullName"/>, e.g. <c>"?e"</c> or <c>"clojure.string/join"</c>.
    /// The namespace is everything before the first <c>/</c>; a lone <c>"/"</c> is a name without namespace.
    /// </summary>
    public static Symbol Intern(string fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        if (Table.TryGetValue(fullName, out var k)) return k;
        ArgumentException.ThrowIfNullOrEmpty(fullName);
        int slash = fullName.IndexOf('/', StringComparison.Ordinal);
        k = slash > 0 && slash < fullName.Length - 1
            ? new Symbol(fullName[..slash], fullName[(slash + 1)..], fullName)
            : new Symbol(null, fullName, fullName);
        return Table.GetOrAdd(fullName, k);
    }

    /// <summary>Returns the symbol with the given namespace (may be <c>null</c>) and name.</summary>
    public static Symbol Intern(string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Intern(ns is null ? name : ns + "/" + name);
    }

    /// <summary>Orders symbols as Clojure does: no namespace first, then by namespace, then by name (ordinal).</summary>
    public int CompareTo(Symbol? other)
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
    public bool Equals(Symbol? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The symbol as EDN text, e.g. <c>?e</c>.</summary>
    public override string ToString() => FullName;
}
