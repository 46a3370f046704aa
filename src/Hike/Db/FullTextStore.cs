using System.Collections.Immutable;
using Hike.Edn;
using Hike.FullText;
using Hike.Index.Codec;
using Hike.Index.Stored;
using Hike.Index.Tree;

namespace Hike.Db;

/// <summary>
/// A full-text index as stored objects in a commit's pack: each segment once (kind
/// <see cref="Envelope.KindFullTextSegment"/>), each segment's retractions in chunks of
/// <see cref="FullTextSegment.RetractionChunkDocs"/> doc numbers, a chunk whenever it changes
/// (<see cref="Envelope.KindFullTextRetractions"/>, <c>[doc tx doc tx …]</c>), and a root
/// (<see cref="Envelope.KindFullTextRoot"/>) naming them per attribute:
/// <c>[[attr-id [[segment docs bytes [chunk retractions chunk retractions …]-or-nil] …]] …]</c>. A
/// commit that changes one value writes the root, a small segment and the one chunk of retractions it
/// changed; what it did not change it shares with the commits before. Segments are read when first
/// searched. Stateless and thread-safe.
/// </summary>
internal static class FullTextStore
{
    /// <summary>Appends what of <paramref name="index"/> is not stored yet, then its root; returns the index as stored and the root's address.</summary>
    public static (FullTextIndex Stored, NodeAddress Root) Write(FullTextIndex index, NodeStore nodes)
    {
        var stored = index;
        var attributes = new List<object?>();
        foreach (var (attrId, segments) in index.Attributes)
        {
            var written = segments.ToBuilder();
            var entries = new List<object?>(segments.Length);
            for (int i = 0; i < segments.Length; i++)
            {
                var segment = segments[i];
                var address = segment.Address ?? nodes.Append(Envelope.Seal(Envelope.KindFullTextSegment, segment.Segment.Encode()));
                var chunks = WriteChunks(segment, nodes);
                if (segment.Address != address || chunks != segment.RetractionChunks) written[i] = segment.At(address, chunks);
                entries.Add(EdnVector.Create(AddressValues.ToValue(address), (long)segment.DocCount, segment.ByteSize,
                    chunks.IsEmpty ? null : EdnVector.From(chunks.SelectMany(c => (object?[])[(long)c.Key, AddressValues.ToValue(c.Value)]))));
            }
            stored = stored.With(attrId, written.MoveToImmutable());
            attributes.Add(EdnVector.Create((long)attrId, EdnVector.From(entries)));
        }
        var root = nodes.Append(Envelope.Seal(Envelope.KindFullTextRoot, ValueCodec.Encode(EdnVector.From(attributes))));
        return (stored, root);
    }

    /// <summary>
    /// The chunks of <paramref name="segment"/>'s retractions as stored after this commit: those stored
    /// as they are kept, the others (changed since) appended. O(retractions in changed chunks).
    /// </summary>
    private static ImmutableSortedDictionary<int, NodeAddress> WriteChunks(FullTextSegment segment, NodeStore nodes)
    {
        var chunks = segment.RetractionChunks;
        if (segment.Retracted.IsEmpty) return chunks.IsEmpty ? chunks : ImmutableSortedDictionary<int, NodeAddress>.Empty;
        var items = new List<object?>();
        int current = -1;
        foreach (var (doc, tx) in segment.Retracted)
        {
            int chunk = doc / FullTextSegment.RetractionChunkDocs;
            if (chunk != current)
            {
                if (items.Count > 0) chunks = chunks.Add(current, nodes.Append(EncodeRetractions(items)));
                items.Clear();
                current = chunk;
            }
            if (chunks.ContainsKey(chunk)) continue;
            items.Add((long)doc);
            items.Add(tx);
        }
        if (items.Count > 0) chunks = chunks.Add(current, nodes.Append(EncodeRetractions(items)));
        return chunks;
    }

    /// <summary>The index whose root, at <paramref name="root"/>, is <paramref name="rootBytes"/>: its retractions read now (in parallel), its segments when first searched.</summary>
    public static FullTextIndex Read(NodeStore nodes, NodeAddress root, byte[] rootBytes)
    {
        var entries = DecodeRoot(rootBytes, Packs.Describe(root));
        var chunkAddresses = entries.SelectMany(a => a.Segments).SelectMany(s => s.Chunks.Values).Distinct().ToList();
        var read = Storage.ParallelReads.Run(nodes.Store, [.. chunkAddresses.Select(a => (Func<byte[]>)(() => nodes.ReadObject(a)))]);
        var chunkBytes = new Dictionary<NodeAddress, byte[]>();
        for (int i = 0; i < read.Length; i++) chunkBytes[chunkAddresses[i]] = read[i];
        var index = FullTextIndex.Empty;
        foreach (var (attrId, segments) in entries)
        {
            index = index.With(attrId, [.. segments.Select(s => FullTextSegment.Stored(
                s.Address, s.DocCount, s.ByteSize, Retractions(s, a => chunkBytes[a]), s.Chunks,
                address => ReadSegment(nodes, address)))]);
        }
        return index;
    }

    /// <summary>A segment's retractions from its chunks, each checked to hold only doc numbers of its range within the segment.</summary>
    private static ImmutableSortedDictionary<int, long> Retractions(SegmentEntry segment, Func<NodeAddress, byte[]> read)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<int, long>();
        foreach (var (chunk, address) in segment.Chunks)
        {
            string key = Packs.Describe(address);
            int first = chunk * FullTextSegment.RetractionChunkDocs;
            int end = (int)Math.Min((long)first + FullTextSegment.RetractionChunkDocs, segment.DocCount);
            var entries = DecodeRetractions(read(address), key);
            if (entries.Count == 0) throw Errors.Corrupt(key, "a chunk of retractions is empty");
            foreach (var (doc, tx) in entries)
            {
                if (doc < first || doc >= end) throw Errors.Corrupt(key, $"doc {doc} is outside its chunk {chunk} of a segment of {segment.DocCount} documents");
                builder[doc] = tx;
            }
        }
        return builder.ToImmutable();
    }

    /// <summary>Every object the root at <paramref name="root"/> names (its segments and retractions), for marking and copying.</summary>
    public static IEnumerable<NodeAddress> References(NodeStore nodes, NodeAddress root)
    {
        foreach (var (_, segments) in DecodeRoot(nodes.ReadObject(root), Packs.Describe(root)))
        {
            foreach (var s in segments)
            {
                yield return s.Address;
                foreach (var chunk in s.Chunks.Values) yield return chunk;
            }
        }
    }

    /// <summary>Reads every object of the index at <paramref name="root"/> not in <paramref name="verified"/>, decoding each; a damaged one is a <see cref="CorruptionException"/>.</summary>
    public static void Verify(NodeStore nodes, NodeAddress root, HashSet<NodeAddress> verified)
    {
        foreach (var (_, segments) in DecodeRoot(nodes.ReadObject(root), Packs.Describe(root)))
        {
            foreach (var s in segments)
            {
                if (verified.Add(s.Address)) ReadSegment(nodes, s.Address);
                if (s.Chunks.Values.Any(verified.Add)) Retractions(s, nodes.ReadObject);
            }
        }
    }

    private sealed record SegmentEntry(NodeAddress Address, int DocCount, long ByteSize, ImmutableSortedDictionary<int, NodeAddress> Chunks);

    private static List<(int AttrId, List<SegmentEntry> Segments)> DecodeRoot(byte[] bytes, string key)
    {
        var decoded = ValueCodec.Decode(Envelope.Open(bytes, key, Envelope.KindFullTextRoot), key);
        try
        {
            var result = new List<(int, List<SegmentEntry>)>();
            foreach (var attribute in (EdnVector)decoded!)
            {
                var pair = (EdnVector)attribute!;
                var segments = ((EdnVector)pair[1]!).Select(x =>
                {
                    var v = (EdnVector)x!;
                    return new SegmentEntry(AddressValues.ToAddress(v[0]), checked((int)(long)v[1]!), (long)v[2]!, Chunks((EdnVector?)v[3], key));
                }).ToList();
                result.Add((checked((int)(long)pair[0]!), segments));
            }
            return result;
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or ArgumentException or OverflowException)
        {
            throw Errors.Corrupt(key, "its fields have the wrong shape");
        }
    }

    private static Segment ReadSegment(NodeStore nodes, NodeAddress address)
    {
        string key = Packs.Describe(address);
        var payload = Envelope.Open(nodes.ReadObject(address), key, Envelope.KindFullTextSegment);
        try
        {
            return Segment.Decode(payload.ToArray());
        }
        catch (MalformedDataException e)
        {
            throw Errors.Corrupt(key, e.Message);
        }
    }

    /// <summary>A root entry's chunks, <c>[chunk address chunk address …]</c> with chunks ascending, or none for nil.</summary>
    private static ImmutableSortedDictionary<int, NodeAddress> Chunks(EdnVector? pairs, string key)
    {
        if (pairs is null) return ImmutableSortedDictionary<int, NodeAddress>.Empty;
        if (pairs.Count == 0 || pairs.Count % 2 != 0) throw Errors.Corrupt(key, "a segment's retraction chunks are not chunk-address pairs");
        var chunks = ImmutableSortedDictionary.CreateBuilder<int, NodeAddress>();
        for (int i = 0; i < pairs.Count; i += 2)
        {
            int chunk = checked((int)(long)pairs[i]!);
            if (chunk < 0 || !chunks.TryAdd(chunk, AddressValues.ToAddress(pairs[i + 1]))) throw Errors.Corrupt(key, $"a segment names retraction chunk {chunk} twice or out of range");
        }
        return chunks.ToImmutable();
    }

    private static byte[] EncodeRetractions(List<object?> docTxPairs) =>
        Envelope.Seal(Envelope.KindFullTextRetractions, ValueCodec.Encode(EdnVector.From(docTxPairs)));

    private static ImmutableSortedDictionary<int, long> DecodeRetractions(byte[] bytes, string key)
    {
        var decoded = ValueCodec.Decode(Envelope.Open(bytes, key, Envelope.KindFullTextRetractions), key);
        try
        {
            var items = (EdnVector)decoded!;
            var builder = ImmutableSortedDictionary.CreateBuilder<int, long>();
            for (int i = 0; i + 1 < items.Count; i += 2) builder[checked((int)(long)items[i]!)] = (long)items[i + 1]!;
            return builder.ToImmutable();
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or OverflowException)
        {
            throw Errors.Corrupt(key, "its fields have the wrong shape");
        }
    }
}
