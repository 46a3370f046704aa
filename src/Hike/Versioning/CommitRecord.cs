using Hike.Db;
using Hike.Edn;
using Hike.Index;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// An immutable commit: its id and parents, when it was made, the counters of the database it
/// stores, its schema's key, and for each of the six indices its datom count and chunk keys.
/// </summary>
internal sealed record CommitRecord(
    CommitInfo Info,
    long MaxEid,
    long MaxTx,
    DateTime LastTxInstant,
    string SchemaKey,
    IndexRef[] Indexes)
{
    /// <summary>The indices in stored order.</summary>
    public const int IndexCount = 6;

    private static readonly Keyword IdKey = Keyword.Intern("id");
    private static readonly Keyword ParentsKey = Keyword.Intern("parents");
    private static readonly Keyword InstantKey = Keyword.Intern("instant");
    private static readonly Keyword MaxEidKey = Keyword.Intern("max-eid");
    private static readonly Keyword MaxTxKey = Keyword.Intern("max-tx");
    private static readonly Keyword TxInstantKey = Keyword.Intern("tx-instant");
    private static readonly Keyword SchemaKeyKey = Keyword.Intern("schema");
    private static readonly Keyword IndexesKey = Keyword.Intern("indexes");

    public byte[] Encode()
    {
        var indexes = new List<object?>(IndexCount);
        foreach (var ix in Indexes) indexes.Add(EdnVector.Create(ix.Count, EdnVector.From(ix.ChunkKeys)));
        var map = EdnMap.Create(
        [
            new(IdKey, Info.Id),
            new(ParentsKey, EdnVector.From(Info.Parents.Select(p => (object?)p))),
            new(InstantKey, Info.Instant),
            new(MaxEidKey, MaxEid),
            new(MaxTxKey, MaxTx),
            new(TxInstantKey, LastTxInstant),
            new(SchemaKeyKey, SchemaKey),
            new(IndexesKey, EdnVector.From(indexes)),
        ]);
        var encoded = ValueCodec.Encode(map);
        return Envelope.Seal(Envelope.KindCommit, encoded);
    }

    public static CommitRecord Decode(byte[] bytes, string key)
    {
        var decoded = ValueCodec.Decode(Envelope.Open(bytes, key, Envelope.KindCommit), key);
        try
        {
            var map = (EdnMap)decoded!;
            var indexes = ((EdnVector)map[IndexesKey]!).Select(v =>
            {
                var pair = (EdnVector)v!;
                return new IndexRef((long)pair[0]!, [.. ((EdnVector)pair[1]!).Select(k => (string?)k)]);
            }).ToArray();
            if (indexes.Length != IndexCount) throw new CorruptionException(key, $"it names {indexes.Length} indices, not {IndexCount}");
            var info = new CommitInfo((Guid)map[IdKey]!, [.. ((EdnVector)map[ParentsKey]!).Select(p => (Guid)p!)], (DateTime)map[InstantKey]!);
            return new CommitRecord(info, (long)map[MaxEidKey]!, (long)map[MaxTxKey]!, (DateTime)map[TxInstantKey]!, (string)map[SchemaKeyKey]!, indexes);
        }
        catch (Exception e) when (e is InvalidCastException or NullReferenceException or KeyNotFoundException)
        {
            throw new CorruptionException(key, "its fields have the wrong shape");
        }
    }
}

/// <summary>One stored index of a commit: its datom count and the keys of its chunks (null for empty ones).</summary>
internal sealed record IndexRef(long Count, string?[] ChunkKeys);
