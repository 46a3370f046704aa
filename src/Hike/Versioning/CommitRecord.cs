using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Tree;

namespace Hike.Versioning;

/// <summary>
/// An immutable commit: its id and parents (with where their records are), when it was made, the
/// counters of the database it stores, where its schema is, and for each of the six indices its datom
/// count and the addresses of its chunks.
/// </summary>
internal sealed record CommitRecord(
    CommitInfo Info,
    long MaxEid,
    long MaxTx,
    DateTime LastTxInstant,
    NodeAddress Schema,
    IndexRef[] Indexes)
{
    /// <summary>The root of the commit's full-text index (<see cref="FullTextStore"/>); null when it has none.</summary>
    public NodeAddress? FullText { get; init; }

    /// <summary>The indices in stored order.</summary>
    public const int IndexCount = 6;

    private static readonly Keyword IdKey = Keyword.Intern("id");
    private static readonly Keyword ParentsKey = Keyword.Intern("parents");
    private static readonly Keyword ParentAddressesKey = Keyword.Intern("parent-addresses");
    private static readonly Keyword InstantKey = Keyword.Intern("instant");
    private static readonly Keyword MaxEidKey = Keyword.Intern("max-eid");
    private static readonly Keyword MaxTxKey = Keyword.Intern("max-tx");
    private static readonly Keyword TxInstantKey = Keyword.Intern("tx-instant");
    private static readonly Keyword SchemaKey = Keyword.Intern("schema");
    private static readonly Keyword IndexesKey = Keyword.Intern("indexes");
    private static readonly Keyword FullTextKey = Keyword.Intern("fulltext");

    public byte[] Encode()
    {
        var indexes = new List<object?>(IndexCount);
        foreach (var ix in Indexes) indexes.Add(EdnVector.Create(ix.Count, EdnVector.From(ix.Chunks.Select(ToValue))));
        var entries = new List<KeyValuePair<object?, object?>>
        {
            new(IdKey, Info.Id),
            new(ParentsKey, EdnVector.From(Info.Parents.Select(p => (object?)p))),
            new(ParentAddressesKey, EdnVector.From(Info.ParentAddresses.Select(ToValue))),
            new(InstantKey, Info.Instant),
            new(MaxEidKey, MaxEid),
            new(MaxTxKey, MaxTx),
            new(TxInstantKey, LastTxInstant),
            new(SchemaKey, ToValue(Schema)),
            new(IndexesKey, EdnVector.From(indexes)),
        };
        // Only a commit with a full-text index names one, so the records of others read as before it existed.
        if (FullText is { } root) entries.Add(new(FullTextKey, ToValue(root)));
        var map = EdnMap.Create(entries);
        return Envelope.Seal(Envelope.KindCommit, ValueCodec.Encode(map));
    }

    public static CommitRecord Decode(byte[] bytes, string key, NodeAddress address)
    {
        var decoded = ValueCodec.Decode(Envelope.Open(bytes, key, Envelope.KindCommit), key);
        try
        {
            // The dictionary indexer throws for a missing field, which reads as corruption below.
            IReadOnlyDictionary<object, object?> map = (EdnMap)decoded!;
            var indexes = ((EdnVector)map[IndexesKey]!).Select(v =>
            {
                var pair = (EdnVector)v!;
                return new IndexRef((long)pair[0]!, [.. ((EdnVector)pair[1]!).Select(ToAddress)]);
            }).ToArray();
            if (indexes.Length != IndexCount) throw Errors.Corrupt(key, $"it names {indexes.Length} indices, not {IndexCount}");
            var info = new CommitInfo((Guid)map[IdKey]!, [.. ((EdnVector)map[ParentsKey]!).Select(p => (Guid)p!)], (DateTime)map[InstantKey]!)
            {
                Address = address,
                ParentAddresses = [.. ((EdnVector)map[ParentAddressesKey]!).Select(ToAddress)],
            };
            return new CommitRecord(info, (long)map[MaxEidKey]!, (long)map[MaxTxKey]!, (DateTime)map[TxInstantKey]!, ToAddress(map[SchemaKey]), indexes)
            {
                FullText = map.TryGetValue(FullTextKey, out var fullText) ? ToAddress(fullText) : null,
            };
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or KeyNotFoundException or ArgumentException)
        {
            throw Errors.Corrupt(key, "its fields have the wrong shape");
        }
    }

    /// <summary>An address as a stored value: 16 bytes, or nil for none.</summary>
    public static object? ToValue(NodeAddress address)
    {
        if (!address.IsStored) return null;
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(bytes, address.Value);
        return bytes;
    }

    public static NodeAddress ToAddress(object? value) => value switch
    {
        null => default,
        byte[] { Length: 16 } bytes => new NodeAddress(System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes)),
        _ => throw new InvalidCastException("an address is 16 bytes"),
    };
}

/// <summary>One stored index of a commit: its datom count and the addresses of its chunks (default for empty ones).</summary>
internal sealed record IndexRef(long Count, NodeAddress[] Chunks);
