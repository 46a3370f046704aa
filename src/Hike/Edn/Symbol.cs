using System.Collections.Concurrent;

namespace Hike.Edn;

/// <summary>
/// An EDN symbol such as <c>?e</c> or <c>clojure.string/join</c>. Symbols are interned: two symbols
/// with the same namespace and name are the same instance, so equality is a reference comparison.
/// Thread-safe.
/// </summary>
public sealed class Symbol : EdnName, IComparable<Symbol>, IEquatable<Symbol>
{
    private static readonly ConcurrentDictionary<string, Symbol> Table = new(StringComparer.Ordinal);

    private Symbol(string fullName)
        : base(fullName, 0x1b873593)
    {
    }

    /// <summary>
    /// Returns the symbol for <paramref name="fullName"/>, e.g. <c>"?e"</c> or <c>"clojure.string/join"</c>.
    /// The namespace is everything before the first <c>/</c>; a lone <c>"/"</c> is a name without namespace.
    /// </summary>
    public static Symbol Intern(string fullName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fullName);
        return Table.TryGetValue(fullName, out var s) ? s : Table.GetOrAdd(fullName, static name => new Symbol(name));
    }

    /// <summary>Returns the symbol with the given namespace (may be <c>null</c>) and name.</summary>
    public static Symbol Intern(string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Intern(ns is null ? name : ns + "/" + name);
    }

    /// <summary>Orders symbols as Clojure does: no namespace first, then by namespace, then by name (ordinal).</summary>
    public int CompareTo(Symbol? other) => CompareNames(other);

    /// <inheritdoc />
    public bool Equals(Symbol? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => base.GetHashCode();

    /// <summary>The symbol as EDN text, e.g. <c>?e</c>.</summary>
    public override string ToString() => FullName;
}
