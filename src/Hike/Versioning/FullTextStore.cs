using System.Collections.Immutable;
using Hike.Db;
using Hike.Edn;
using Hike.FullText;
using Hike.Index.Codec;
using Hike.Index.Stored;
using Hike.Index.Tree;

namespace Hike.Versioning;

/// <summary>
/// A full-text index as stored objects in a commit's pack: each segment once (kind
/// <see cref="Envelope.KindFullTextSegment"/>), each segment's retractions whenever they change
/// (<see cref="Envelope.KindFullTextRetractions"/>, <c>[doc tx doc tx …]</c>), and a root
/// (<see cref="Envelope.KindFullTextRoot"/>) naming them per attribute:
/// <c>[[attr-id [[segment docs bytes retractions-or-nil] …]] …]</c>. A commit that changes one value
/// writes the root, a small segment and the retractions it changed; what it did not change it shares
/// with the commits before. Segments are read when first searched. Stateless and thread-safe.
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
                NodeAddress? retractions = segment.Retracted.IsEmpty ? null : segment.RetractedAddress ?? nodes.Append(EncodeRetractions(segment.Retracted));
                if (segment.Address != address || segment.RetractedAddress != retractions) written[i] = segment.At(address, retractions);
                entries.Add(EdnVector.Create(CommitRecord.ToValue(address), (long)segment.DocCount, segment.ByteSize, retractions is { } r ? CommitRecord.ToValue(r) : null));
            }
            stored = stored.With(attrId, written.MoveToImmutable());
            attributes.Add(EdnVector.Create((long)attrId, EdnVector.From(entries)));
        }
        var root = nodes.Append(Envelope.Seal(Envelope.KindFullTextRoot, ValueCodec.Encode(EdnVector.From(attributes))));
        return (stored, root);
    }

    /// <summary>The index whose root, at <paramref name="root"/>, is <paramref name="rootBytes"/>: its retractions read now (in parallel), its segments when first searched.</summary>
    public static FullTextIndex Read(NodeStore nodes, NodeAddress root, byte[] rootBytes)
    {
        var entries = DecodeRoot(rootBytes, Packs.Describe(root));
        var retractionAddresses = entries.SelectMany(a => a.Segments).Where(s => s.Retractions is not null).Select(s => s.Retractions!.Value).Distinct().ToList();
        var read = Storage.ParallelReads.Run(nodes.Store, [.. retractionAddresses.Select(a => (Func<byte[]>)(() => nodes.ReadObject(a)))]);
        var retractions = new Dictionary<NodeAddress, ImmutableSortedDictionary<int, long>>();
        for (int i = 0; i < read.Length; i++) retractions[retractionAddresses[i]] = DecodeRetractions(read[i], Packs.Describe(retractionAddresses[i]));
        var index = FullTextIndex.Empty;
        foreach (var (attrId, segments) in entries)
        {
            index = index.With(attrId, [.. segments.Select(s => FullTextSegment.Stored(
                s.Address, s.DocCount, s.ByteSize,
                s.Retractions is { } r ? retractions[r] : ImmutableSortedDictionary<int, long>.Empty, s.Retractions,
                address => ReadSegment(nodes, address)))]);
        }
        return index;
    }

    /// <summary>Every object the root at <paramref name="root"/> names (its segments and retractions), for marking and copying.</summary>
    public static IEnumerable<NodeAddress> References(NodeStore nodes, NodeAddress root)
    {
        foreach (var (_, segments) in DecodeRoot(nodes.ReadObject(root), Packs.Describe(root)))
        {
            foreach (var s in segments)
            {
                yield return s.Address;
                if (s.Retractions is { } r) yield return r;
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
                if (s.Retractions is { } r && verified.Add(r)) DecodeRetractions(nodes.ReadObject(r), Packs.Describe(r));
            }
        }
    }

    private sealed record SegmentEntry(NodeAddress Address, int DocCount, long ByteSize, NodeAddress? Retractions);

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
                    return new SegmentEntry(CommitRecord.ToAddress(v[0]), checked((int)(long)v[1]!), (long)v[2]!, v[3] is null ? null : CommitRecord.ToAddress(v[3]));
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

    private static byte[] EncodeRetractions(ImmutableSortedDictionary<int, long> retracted)
    {
        var items = new List<object?>(retracted.Count * 2);
        foreach (var (doc, tx) in retracted)
        {
            items.Add((long)doc);
            items.Add(tx);
        }
        return Envelope.Seal(Envelope.KindFullTextRetractions, ValueCodec.Encode(EdnVector.From(items)));
    }

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
