using System.Runtime.CompilerServices;
using Hike.Db;
using Hike.Edn;
using Hike.Index;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// A database's commits in a key/value store. Writing a commit stores the nodes and chunks that
/// changed, the schema when it changed, and the commit record; makes them durable with one
/// <see cref="IKeyValueStore.Sync"/>; and only then moves the branch head with a compare-and-set, so a
/// crash at any point leaves the old head or the new one, never one pointing at missing objects.
/// Reading opens a commit with a constant number of objects per index partition; every other node
/// loads lazily through the bounded cache. Reads are thread-safe; writes come from the single writer.
/// </summary>
internal sealed class CommitStore : IDisposable
{
    private readonly IndexRoots _roots;
    private readonly ConditionalWeakTable<Schema, string> _schemaKeys = [];
    private readonly Dictionary<Keyword, byte[]?> _heads = [];
    private volatile Tuple<string, Schema>? _lastSchema;

    public CommitStore(IKeyValueStore store, long cacheBytes)
    {
        Store = store;
        Nodes = new NodeStore(store, new NodeCache(cacheBytes));
        _roots = new IndexRoots(Nodes);
    }

    public IKeyValueStore Store { get; }

    public NodeStore Nodes { get; }

    /// <summary>The configuration the database was created with, or null when the store holds no database.</summary>
    public EdnMap? ReadConfig()
    {
        var bytes = Store.Get(StoreLayout.ConfigKey);
        if (bytes is null) return null;
        var text = System.Text.Encoding.UTF8.GetString(Envelope.Open(bytes, StoreLayout.ConfigKey, Envelope.KindConfig));
        return EdnReader.Read(text) as EdnMap ?? throw new CorruptionException(StoreLayout.ConfigKey, "it is not a map");
    }

    /// <summary>Stores the creation config; durable with the first commit's sync.</summary>
    public void WriteConfig(EdnMap config) =>
        Store.Put(StoreLayout.ConfigKey, Envelope.Seal(Envelope.KindConfig, System.Text.Encoding.UTF8.GetBytes(EdnPrinter.Print(config))));

    /// <summary>The newest commit of <paramref name="branch"/>, or null when the branch has none.</summary>
    public Guid? ReadHead(Keyword branch)
    {
        var key = StoreLayout.HeadKey(branch);
        var bytes = Store.Get(key);
        if (bytes is null) return null;
        var payload = Envelope.Open(bytes, key, Envelope.KindHead);
        if (payload.Length != 16) throw new CorruptionException(key, "a head holds a 16-byte commit id");
        return new Guid(payload);
    }

    /// <summary>The branches that have a head.</summary>
    public IReadOnlySet<Keyword> ReadBranches()
    {
        var bytes = Store.Get(StoreLayout.BranchesKey);
        if (bytes is null) return new HashSet<Keyword>();
        var set = ValueCodec.Decode(Envelope.Open(bytes, StoreLayout.BranchesKey, Envelope.KindBranches), StoreLayout.BranchesKey) as EdnSet ?? throw new CorruptionException(StoreLayout.BranchesKey, "it is not a set");
        return set.Select(b => b as Keyword ?? throw new CorruptionException(StoreLayout.BranchesKey, "a branch name is not a keyword")).ToHashSet();
    }

    public CommitRecord ReadCommit(Guid id)
    {
        var key = StoreLayout.CommitKey(id);
        var bytes = Store.Get(key) ?? throw new CorruptionException(key, "it is missing from the store");
        return CommitRecord.Decode(bytes, key);
    }

    /// <summary>Opens the database state stored by commit <paramref name="id"/>.</summary>
    public DbState Load(Guid id, DbOptions options)
    {
        var commit = ReadCommit(id);
        var ix = commit.Indexes;
        return new DbState
        {
            Eavt = _roots.Read<EavtOrder>(ix[0].ChunkKeys, ix[0].Count),
            Aevt = _roots.Read<AevtOrder>(ix[1].ChunkKeys, ix[1].Count),
            Avet = _roots.Read<AvetOrder>(ix[2].ChunkKeys, ix[2].Count),
            TemporalEavt = _roots.Read<EavtOrder>(ix[3].ChunkKeys, ix[3].Count),
            TemporalAevt = _roots.Read<AevtOrder>(ix[4].ChunkKeys, ix[4].Count),
            TemporalAvet = _roots.Read<AvetOrder>(ix[5].ChunkKeys, ix[5].Count),
            Schema = ReadSchema(commit.SchemaKey),
            Options = options,
            MaxEid = commit.MaxEid,
            MaxTx = commit.MaxTx,
            LastTxInstant = commit.LastTxInstant,
            Commit = commit.Info,
        };
    }

    /// <summary>
    /// Stores <paramref name="state"/> as commit <paramref name="info"/> and moves <paramref name="branch"/>
    /// to it. Returns the committed state, whose trees now load through this store. Throws
    /// <c>db/writer-conflict</c> when the head moved under this writer.
    /// </summary>
    public DbState Write(DbState state, CommitInfo info, Keyword branch)
    {
        var (k0, eavt) = _roots.Write(state.Eavt);
        var (k1, aevt) = _roots.Write(state.Aevt);
        var (k2, avet) = _roots.Write(state.Avet);
        var (k3, teavt) = _roots.Write(state.TemporalEavt);
        var (k4, taevt) = _roots.Write(state.TemporalAevt);
        var (k5, tavet) = _roots.Write(state.TemporalAvet);
        if (!_schemaKeys.TryGetValue(state.Schema, out var schemaKey))
        {
            schemaKey = StoreLayout.NewObjectKey("schemas/");
            Store.Put(schemaKey, SchemaCodec.Encode(state.Schema));
            _schemaKeys.AddOrUpdate(state.Schema, schemaKey);
        }
        var record = new CommitRecord(info, state.MaxEid, state.MaxTx, state.LastTxInstant, schemaKey,
        [
            new(eavt.Count, k0), new(aevt.Count, k1), new(avet.Count, k2),
            new(teavt.Count, k3), new(taevt.Count, k4), new(tavet.Count, k5),
        ]);
        Store.Put(StoreLayout.CommitKey(info.Id), record.Encode());
        Store.Sync();
        MoveHead(branch, info.Id);
        return state with
        {
            Eavt = eavt,
            Aevt = aevt,
            Avet = avet,
            TemporalEavt = teavt,
            TemporalAevt = taevt,
            TemporalAvet = tavet,
            Commit = info,
        };
    }

    /// <summary>Forgets what this process knows of the heads, after another writer may have moved them.</summary>
    public void ForgetHeads() => _heads.Clear();

    public void Dispose() => Store.Dispose();

    private void MoveHead(Keyword branch, Guid commit)
    {
        var key = StoreLayout.HeadKey(branch);
        if (!_heads.TryGetValue(branch, out var expected)) expected = Store.Get(key);
        var value = Envelope.Seal(Envelope.KindHead, commit.ToByteArray());
        if (!Store.CompareAndSet(key, expected, expected is null, value))
        {
            _heads.Remove(branch);
            throw Errors.WriterConflict(key);
        }
        _heads[branch] = value;
        if (expected is null) AddBranch(branch);
    }

    private void AddBranch(Keyword branch)
    {
        var current = Store.Get(StoreLayout.BranchesKey);
        var branches = new HashSet<Keyword>(ReadBranches()) { branch };
        var encoded = ValueCodec.Encode(EdnSet.Create(branches.Cast<object?>()));
        if (!Store.CompareAndSet(StoreLayout.BranchesKey, current, current is null, Envelope.Seal(Envelope.KindBranches, encoded)))
        {
            throw Errors.WriterConflict(StoreLayout.BranchesKey);
        }
    }

    private Schema ReadSchema(string key)
    {
        if (_lastSchema is { } last && last.Item1 == key) return last.Item2;
        var bytes = Store.Get(key) ?? throw new CorruptionException(key, "it is missing from the store");
        var schema = SchemaCodec.Decode(bytes, key);
        _schemaKeys.AddOrUpdate(schema, key);
        _lastSchema = Tuple.Create(key, schema);
        return schema;
    }
}
