using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Hike.Edn;

/// <summary>
/// An immutable EDN map, <c>{k v ...}</c>, keeping the order its entries were given in. Keys are
/// compared with value semantics (<see cref="ValueEquality"/>); <c>nil</c> is a valid key.
/// Lookup is O(1) on average.
/// </summary>
public sealed class EdnMap : IReadOnlyDictionary<object, object?>, IEquatable<EdnMap>, IHashCached
{
    private const int LinearLimit = 8;

    /// <summary>The empty map.</summary>
    public static readonly EdnMap Empty = new([], null);

    private readonly KeyValuePair<object?, object?>[] _entries;
    private readonly Dictionary<object, int>? _index;
    private long _hash;

    private EdnMap(KeyValuePair<object?, object?>[] entries, Dictionary<object, int>? index)
    {
        _entries = entries;
        _index = index;
    }

    /// <summary>Number of entries. O(1).</summary>
    public int Count => _entries.Length;

    /// <summary>The keys in entry order.</summary>
    public IEnumerable<object> Keys
    {
        get
        {
            foreach (var e in _entries) yield return e.Key!;
        }
    }

    /// <summary>The values in entry order.</summary>
    public IEnumerable<object?> Values
    {
        get
        {
            foreach (var e in _entries) yield return e.Value;
        }
    }

    /// <summary>The entries in order, with keys typed as nullable.</summary>
    public ReadOnlySpan<KeyValuePair<object?, object?>> Entries => _entries;

    /// <summary>
    /// The value under <paramref name="key"/> (value semantics), or null when it is absent, as Clojure's
    /// <c>(get m k)</c> and as an entity (<c>Hike.Api.Entity</c>) reads a missing attribute; tell an absent key
    /// from a nil value with <see cref="ContainsKey"/> or <see cref="TryGetValue"/>.
    /// </summary>
    public object? this[object key] => Get(key);

    /// <summary>
    /// The value under the string <paramref name="key"/> when the map has it (a <c>:strs</c> result, JSON),
    /// else under the keyword it names, with or without the colon: <c>pulled[":name"]</c>,
    /// <c>pulled["name"]</c> and <c>pulled[Keyword.Intern("name")]</c> read the same value, as on an
    /// entity (<c>Hike.Api.Entity</c>). Null when neither is present.
    /// </summary>
    public object? this[string key]
    {
        get
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            if (TryGetValue(key, out var value)) return value;
            return key == ":" ? null : Get(Keyword.Intern(key));
        }
    }

    /// <summary>As the dictionary contract requires, throws <see cref="KeyNotFoundException"/> when <paramref name="key"/> is absent.</summary>
    object? IReadOnlyDictionary<object, object?>.this[object key] =>
        TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"Key {EdnPrinter.Print(key)} is not in the map.");

    /// <summary>
    /// Builds a map from entries in order. A repeated key is an error (EDN forbids it); use
    /// <see cref="With"/> to replace a value.
    /// </summary>
    public static EdnMap Create(IEnumerable<KeyValuePair<object?, object?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = entries.ToArray();
        if (list.Length == 0) return Empty;
        var index = BuildIndex(list, out var duplicate);
        if (duplicate is not null) throw new ArgumentException($"Duplicate map key {EdnPrinter.Print(duplicate.Value.Key)}.", nameof(entries));
        return new EdnMap(list, index);
    }

    /// <summary>Builds a map from alternating keys and values: <c>EdnMap.Of(k1, v1, k2, v2)</c>.</summary>
    public static EdnMap Of(params object?[] keysAndValues)
    {
        ArgumentNullException.ThrowIfNull(keysAndValues);
        if (keysAndValues.Length % 2 != 0) throw new ArgumentException("Expected an even number of arguments.", nameof(keysAndValues));
        var entries = new KeyValuePair<object?, object?>[keysAndValues.Length / 2];
        for (int i = 0; i < entries.Length; i++) entries[i] = new(keysAndValues[2 * i], keysAndValues[2 * i + 1]);
        return Create(entries);
    }

    /// <summary>
    /// Builds a map, reporting the first repeated key instead of throwing; used by the reader to
    /// report the duplicate with its position.
    /// </summary>
    internal static EdnMap? TryCreate(KeyValuePair<object?, object?>[] entries, out object? duplicateKey)
    {
        duplicateKey = null;
        if (entries.Length == 0) return Empty;
        var index = BuildIndex(entries, out var duplicate);
        if (duplicate is not null)
        {
            duplicateKey = duplicate.Value.Key;
            return null;
        }
        return new EdnMap(entries, index);
    }

    /// <summary>Builds a map from entries whose keys the caller knows to be distinct, skipping the duplicate check.</summary>
    internal static EdnMap FromDistinctKeys(KeyValuePair<object?, object?>[] entries) =>
        entries.Length == 0 ? Empty : new EdnMap(entries, entries.Length <= LinearLimit ? null : BuildIndex(entries, out _));

    /// <summary>A map with <paramref name="key"/> set to <paramref name="value"/>; the same instance when nothing changes.</summary>
    public EdnMap With(object? key, object? value)
    {
        int i = IndexOf(key);
        if (i >= 0)
        {
            if (ValueEquality.Instance.Equals(_entries[i].Value, value)) return this;
            var copy = (KeyValuePair<object?, object?>[])_entries.Clone();
            copy[i] = new(key, value);
            return new EdnMap(copy, _index);
        }
        var grown = new KeyValuePair<object?, object?>[_entries.Length + 1];
        _entries.CopyTo(grown, 0);
        grown[^1] = new(key, value);
        return new EdnMap(grown, BuildIndex(grown, out _));
    }

    /// <summary>A map without <paramref name="key"/>; the same instance when the key is absent.</summary>
    public EdnMap Without(object? key)
    {
        int i = IndexOf(key);
        if (i < 0) return this;
        if (_entries.Length == 1) return Empty;
        var shrunk = new KeyValuePair<object?, object?>[_entries.Length - 1];
        Array.Copy(_entries, 0, shrunk, 0, i);
        Array.Copy(_entries, i + 1, shrunk, i, _entries.Length - i - 1);
        return new EdnMap(shrunk, BuildIndex(shrunk, out _));
    }

    /// <summary>True when <paramref name="key"/> is present (value semantics).</summary>
    public bool ContainsKey(object? key) => IndexOf(key) >= 0;

    bool IReadOnlyDictionary<object, object?>.ContainsKey(object key) => IndexOf(key) >= 0;

    /// <summary>Looks up <paramref name="key"/> (value semantics; <c>null</c> allowed).</summary>
    public bool TryGetValue(object? key, out object? value)
    {
        int i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }
        value = _entries[i].Value;
        return true;
    }

    bool IReadOnlyDictionary<object, object?>.TryGetValue(object key, [MaybeNullWhen(false)] out object? value) => TryGetValue(key, out value);

    /// <summary>The value under <paramref name="key"/>, or <paramref name="notFound"/>.</summary>
    public object? Get(object? key, object? notFound = null) => TryGetValue(key, out var v) ? v : notFound;

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<object, object?>> GetEnumerator()
    {
        foreach (var e in _entries) yield return new KeyValuePair<object, object?>(e.Key!, e.Value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Map equality with value semantics, independent of entry order.</summary>
    public bool Equals(EdnMap? other) => ValueEquality.Instance.Equals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ValueEquality.Instance.Equals(this, obj);

    long IHashCached.CachedHash
    {
        get => Volatile.Read(ref _hash);
        set => Volatile.Write(ref _hash, value);
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        return ValueEquality.Instance.GetHashCode(this);
    }

    /// <summary>The map as EDN text.</summary>
    public override string ToString() => EdnPrinter.Print(this);

    private int IndexOf(object? key)
    {
        if (_index is not null) return _index.TryGetValue(NullKey.Wrap(key), out int i) ? i : -1;
        var entries = _entries;
        for (int i = 0; i < entries.Length; i++)
        {
            if (ValueEquality.Instance.Equals(entries[i].Key, key)) return i;
        }
        return -1;
    }

    private static Dictionary<object, int>? BuildIndex(KeyValuePair<object?, object?>[] entries, out KeyValuePair<object?, object?>? duplicate)
    {
        duplicate = null;
        if (entries.Length <= LinearLimit)
        {
            for (int i = 1; i < entries.Length; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (ValueEquality.Instance.Equals(entries[i].Key, entries[j].Key))
                    {
                        duplicate = entries[i];
                        return null;
                    }
                }
            }
            return null;
        }
        var index = new Dictionary<object, int>(entries.Length, NullKey.Comparer);
        for (int i = 0; i < entries.Length; i++)
        {
            if (!index.TryAdd(NullKey.Wrap(entries[i].Key), i))
            {
                duplicate = entries[i];
                return null;
            }
        }
        return index;
    }
}
