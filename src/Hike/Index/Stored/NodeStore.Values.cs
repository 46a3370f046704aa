using System.Buffers;
using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Tree;

namespace Hike.Index.Stored;

/// <summary>Values stored out of line (<see cref="LargeValues"/>): writing, resolving, and their part in garbage collection.</summary>
internal sealed partial class NodeStore : ILargeValueWriter, ILargeValueReader
{
    private readonly LargeValueRegistry _values = new();

    bool ILargeValueWriter.TryGetStored(object? value, out NodeAddress address)
    {
        if (!_values.TryReuse(value, out address)) return false;
        _objectRefs++;
        return true;
    }

    /// <summary>
    /// Turns the value just encoded at the end of the object being written into an object of its own,
    /// placed where the object began (so the pack's objects stay in order); the object's bytes so far
    /// follow it. The value's bytes move once, within the pack's buffer.
    /// </summary>
    NodeAddress ILargeValueWriter.MoveOut(ByteSink sink, int valueStart, object value)
    {
        if (!ReferenceEquals(sink, _pack)) throw new InvalidOperationException("A value moves out of line only from an object of the open pack");
        int prefix = valueStart - _objectStart;
        int length = sink.Length - valueStart;
        var saved = ArrayPool<byte>.Shared.Rent(prefix);
        try
        {
            sink.Written(_objectStart, prefix).CopyTo(saved);
            sink.Written(valueStart, length).CopyTo(sink.Written(_objectStart + Envelope.HeaderSize, length));
            sink.Truncate(_objectStart + Envelope.HeaderSize + length);
            int sealedLength = Envelope.EndSeal(sink, _objectStart, Envelope.KindValue);
            var address = Record(_objectStart, sealedLength);
            _objectStart += sealedLength;
            sink.WriteBytes(saved.AsSpan(0, prefix));
            _values.AddStored(value, address);
            _objectRefs++;
            return address;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(saved);
        }
    }

    /// <summary>The value stored out of line at <paramref name="address"/>, through the cache; damage is a <see cref="CorruptionException"/> naming the value's object.</summary>
    public object Resolve(NodeAddress address)
    {
        if (Cache.TryGetValue(address, out var cached)) return cached;
        var key = Packs.Describe(address);
        var value = ValueCodec.Decode(Envelope.Open(ReadObject(address), key, Envelope.KindValue), key)
            ?? throw Errors.Corrupt(key, "a value stored out of line is nil");
        value = Cache.AddValue(address, value);
        _values.AddRead(value, address);
        return value;
    }

    /// <summary>
    /// The node at <paramref name="address"/> as garbage collection reads it: its references to
    /// values stored out of line are added to <paramref name="valueRefs"/>, not resolved.
    /// </summary>
    public Node<IndexDatom> ReadForMarking(NodeAddress address, HashSet<NodeAddress> valueRefs) =>
        NodeCodec.Decode(ReadObject(address), Packs.Describe(address), new ValueRefCollector(valueRefs));

    /// <summary>
    /// A collection takes its snapshot (no commit is being written): from now until
    /// <see cref="EndMarking"/>, references this writer hands out are kept by it.
    /// </summary>
    public void BeginCollection()
    {
        var (segment, length) = PersistedLength;
        _values.BeginCollection(segment, length);
    }

    /// <summary>
    /// A collection found <paramref name="liveValues"/> to be the value objects the retained commits
    /// reach: adds those this writer referred to meanwhile, and forgets those it will delete.
    /// </summary>
    public void EndMarking(HashSet<NodeAddress> liveValues) => _values.EndMarking(liveValues);

    /// <summary>A collection failed before it finished marking (it deletes nothing).</summary>
    public void AbandonMarking() => _values.AbandonMarking();
}
