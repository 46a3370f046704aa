namespace Hike.Storage;

/// <summary>
/// The key/value store a database lives in (Datahike's konserve role): immutable objects (index
/// nodes, commit records) under keys the caller chooses, plus a few mutable keys (branch heads, the
/// branch set) replaced atomically. Keys are non-empty strings of <c>[a-z0-9._-]</c> segments
/// separated by <c>/</c>. Writes are visible to <see cref="Get"/> in this process at once and durable
/// after <see cref="Sync"/> (or, for <see cref="CompareAndSet"/>, when it returns). Implementations
/// are thread-safe.
/// </summary>
internal interface IKeyValueStore : IDisposable
{
    /// <summary>The value stored under <paramref name="key"/>, or null when there is none.</summary>
    byte[]? Get(string key);

    /// <summary>
    /// The bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>) of
    /// the value under <paramref name="key"/> (fewer when the value ends first), or null when there is
    /// no such key. Lets many small objects share one stored value and be read one at a time.
    /// </summary>
    byte[]? GetRange(string key, long offset, int length);

    /// <summary>The length of the value under <paramref name="key"/>, or null when there is no such key; reads no value.</summary>
    long? Size(string key);

    /// <summary>
    /// Gives back the storage of byte ranges of a value that will never be read again (garbage
    /// collection of parts of a value that holds many objects). The value keeps its length; the ranges
    /// read as zeros afterwards, or, in a store that cannot release part of a value, as before.
    /// Durable after the next <see cref="Sync"/>.
    /// </summary>
    void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges);

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/>, replacing any value. Durable only
    /// after the next <see cref="Sync"/>: a crash before it may lose the write.
    /// </summary>
    void Put(string key, ReadOnlySpan<byte> value);

    /// <summary>
    /// Appends <paramref name="value"/> to the value under <paramref name="key"/> (an empty one when
    /// there is none) and returns the offset at which it starts: many objects written over time into
    /// one growing value. Durable after the next <see cref="Sync"/>; a crash before it may leave the
    /// value with any prefix of the appended bytes.
    /// </summary>
    long Append(string key, ReadOnlySpan<byte> value);

    /// <summary>
    /// True when <see cref="Append"/> adds to a value where it lies (a file). False in stores that
    /// replace values whole (objects, rows, keys on a server): there <see cref="Append"/> to an absent
    /// key creates it, and to an existing one reads, joins and writes the whole value, so a writer
    /// puts each pack under a fresh key instead (one object per commit).
    /// </summary>
    bool AppendsInPlace { get; }

    /// <summary>Removes <paramref name="key"/>; true when it existed. Durable after the next <see cref="Sync"/>.</summary>
    bool Delete(string key);

    /// <summary>Every key that starts with <paramref name="prefix"/> (all keys for ""), in no particular order.</summary>
    IEnumerable<string> List(string prefix);

    /// <summary>
    /// Atomically replaces the value under <paramref name="key"/> with <paramref name="value"/> when
    /// its current value equals <paramref name="expected"/> (null: the key is absent). Readers see the
    /// old value or the new one, never a mix. Durable when it returns true; false when the current
    /// value differs, and then nothing changed.
    /// </summary>
    bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value);

    /// <summary>
    /// A commit's two writes, in one step where the store can: creates <paramref name="key"/> holding
    /// <paramref name="value"/> when it is absent, and then compare-and-sets <paramref name="casKey"/>
    /// as <see cref="CompareAndSet"/> does. True when both happened, and then both are durable. False
    /// when the key existed or the compare-and-set failed: <paramref name="casKey"/> is unchanged, and
    /// <paramref name="key"/> may hold <paramref name="value"/> (a store that does the two apart created
    /// it first). A SQL table does both in one transaction: one round trip, one durability point.
    /// </summary>
    bool CreateThenCompareAndSet(string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue) =>
        CreateThenCompareAndSetApart(this, key, value, casKey, expected, expectAbsent, casValue);

    /// <summary><see cref="CreateThenCompareAndSet"/> as two compare-and-sets of <paramref name="store"/>, one after the other (the first durable before the second starts).</summary>
    static bool CreateThenCompareAndSetApart(IKeyValueStore store, string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue) =>
        store.CompareAndSet(key, default, expectAbsent: true, value) && store.CompareAndSet(casKey, expected, expectAbsent, casValue);

    /// <summary>Makes every earlier <see cref="Put"/> and <see cref="Delete"/> durable: one durability point for many writes.</summary>
    void Sync();

    /// <summary>
    /// Takes the store's single-writer lock for the life of the returned handle; throws a
    /// <see cref="HikeException"/> with code <c>db/writer-locked</c> when another writer (in this
    /// process or another) holds it. Stores that fence writers by <see cref="CompareAndSet"/> alone
    /// return a handle that does nothing.
    /// </summary>
    IDisposable AcquireWriterLock();
}
