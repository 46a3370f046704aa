using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Stored;
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
    /// <summary>The roots of the commit's secondary indices, those that hold anything, in the order of <see cref="SecondaryIndexes.Kinds"/>; each under its kind's name (the full-text index's: <c>:fulltext</c>).</summary>
    public IReadOnlyList<(ISecondaryIndexKind Kind, NodeAddress Root)> Secondary { get; init; } = [];

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

    public byte[] Encode()
    {
        var indexes = new List<object?>(IndexCount);
        foreach (var ix in Indexes) indexes.Add(EdnVector.Create(ix.Count, EdnVector.From(ix.Chunks.Select(AddressValues.ToValue))));
        var entries = new List<KeyValuePair<object?, object?>>
        {
            new(IdKey, Info.Id),
            new(ParentsKey, EdnVector.From(Info.Parents.Select(p => (object?)p))),
            new(ParentAddressesKey, EdnVector.From(Info.ParentAddresses.Select(AddressValues.ToValue))),
            new(InstantKey, Info.Instant),
            new(MaxEidKey, MaxEid),
            new(MaxTxKey, MaxTx),
            new(TxInstantKey, LastTxInstant),
            new(SchemaKey, AddressValues.ToValue(Schema)),
            new(IndexesKey, EdnVector.From(indexes)),
        };
        // Only a commit with a secondary index names one, so the records of others read as before they existed.
        foreach (var (kind, root) in Secondary) entries.Add(new(kind.Name, AddressValues.ToValue(root)));
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
                return new IndexRef((long)pair[0]!, [.. ((EdnVector)pair[1]!).Select(AddressValues.ToAddress)]);
            }).ToArray();
            if (indexes.Length != IndexCount) throw Errors.Corrupt(key, $"it names {indexes.Length} indices, not {IndexCount}");
            var info = new CommitInfo((Guid)map[IdKey]!, [.. ((EdnVector)map[ParentsKey]!).Select(p => (Guid)p!)], (DateTime)map[InstantKey]!)
            {
                Address = address,
                ParentAddresses = [.. ((EdnVector)map[ParentAddressesKey]!).Select(AddressValues.ToAddress)],
            };
            return new CommitRecord(info, (long)map[MaxEidKey]!, (long)map[MaxTxKey]!, (DateTime)map[TxInstantKey]!, AddressValues.ToAddress(map[SchemaKey]), indexes)
            {
                Secondary = [.. SecondaryIndexes.Kinds.Where(k => map.ContainsKey(k.Name)).Select(k => (k, AddressValues.ToAddress(map[k.Name])))],
            };
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or KeyNotFoundException or ArgumentException)
        {
            throw Errors.Corrupt(key, "its fields have the wrong shape");
        }
    }
}

/// <summary>One stored index of a commit: its datom count and the addresses of its chunks (default for empty ones).</summary>
internal sealed record IndexRef(long Count, NodeAddress[] Chunks);
