namespace Hike.Index.Datoms;

/// <summary>
/// A map from small non-negative ints, for the handful of partitions one transaction changes: a
/// linear scan over two short arrays, no hashing, no allocation for the first four entries.
/// Not thread-safe.
/// </summary>
internal sealed class SmallMap<TValue>
    where TValue : class
{
    private int[] _keys = new int[4];
    private TValue[] _values = new TValue[4];

    public int Count { get; private set; }

    public bool TryGetValue(int key, out TValue value)
    {
        var keys = _keys;
        for (int i = 0; i < Count; i++)
        {
            if (keys[i] == key)
            {
                value = _values[i];
                return true;
            }
        }
        value = null!;
        return false;
    }

    public bool ContainsKey(int key) => TryGetValue(key, out _);

    /// <summary>Adds an entry; the key must not be present.</summary>
    public void Add(int key, TValue value)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _values, Count * 2);
        }
        _keys[Count] = key;
        _values[Count++] = value;
    }

    public IEnumerable<KeyValuePair<int, TValue>> Entries()
    {
        for (int i = 0; i < Count; i++) yield return new(_keys[i], _values[i]);
    }
}
