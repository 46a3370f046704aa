using Hike.Storage;
using Hike.Testing;

namespace Hike.Tests.Durability;

/// <summary>Counts the reads made through it (and the objects read, by envelope kind), the writes and the bytes written.</summary>
internal sealed class CountingStore(IKeyValueStore inner) : DelegatingStore(inner)
{
    public readonly int[] ObjectReads = new int[256];

    public int Gets;

    public long BytesWritten;

    /// <summary>How many writes (put, append, compare-and-set, delete) were made through it.</summary>
    public int Writes;

    public override byte[]? Get(string key)
    {
        Interlocked.Increment(ref Gets);
        return Inner.Get(key);
    }

    public override byte[]? GetRange(string key, long offset, int length)
    {
        Interlocked.Increment(ref Gets);
        var bytes = Inner.GetRange(key, offset, length);
        if (bytes is { Length: > Hike.Index.Codec.Envelope.HeaderSize } && bytes[0] == 'H' && bytes[1] == 'k') Interlocked.Increment(ref ObjectReads[bytes[3]]);
        return bytes;
    }

    public override long Append(string key, ReadOnlySpan<byte> value)
    {
        Written(value.Length);
        return Inner.Append(key, value);
    }

    public override void Put(string key, ReadOnlySpan<byte> value)
    {
        Written(value.Length);
        Inner.Put(key, value);
    }

    public override bool Delete(string key)
    {
        Written(0);
        return Inner.Delete(key);
    }

    public override bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        Written(value.Length);
        return Inner.CompareAndSet(key, expected, expectAbsent, value);
    }

    private void Written(int bytes)
    {
        Interlocked.Add(ref BytesWritten, bytes);
        Interlocked.Increment(ref Writes);
    }
}
