using System.Runtime.CompilerServices;
using Hike.Db;
using Hike.Edn;
using Hike.Index;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// A database's commits in a key/value store. Writing a commit appends the nodes and chunks that
/// changed, the schema when it changed, and the commit record to one pack; then syncs the pack and
/// moves the branch head (a compare-and-set, itself durable) at the same time, so the two waits for
/// the disk overlap. The head names the new commit, where its pack starts, and the commit before it:
/// a head whose pack did not fully reach the disk before a crash fails the pack's checksum, and its
/// previous commit — written completely before this one began — is the branch's head. A crash at any
/// point so leaves the old commit or the new one, never a head naming missing objects.
/// Opening a commit reads its record, schema and index chunks (and each partition's root); every
/// other node loads lazily through the bounded cache. Reads are thread-safe; writes come from the
/// single writer.
/// </summary>
internal sealed class CommitStore : ICommitLog
{
    private readonly ConditionalWeakTable<Schema, object> _schemaAddresses = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, NodeAddress> _commitAddresses = new();
    private readonly Dictionary<Keyword, byte[]?> _heads = [];
    private volatile Tuple<NodeAddress, Schema>? _lastSchema;

    public CommitStore(IKeyValueStore store, long cacheBytes)
    {
        Store = store;
        Nodes = new NodeStore(store, new NodeCache(cacheBytes));
        Roots = new IndexRoots(Nodes);
    }

    public IKeyValueStore Store { get; }

    public NodeStore Nodes { get; }

    public IndexRoots Roots { get; }

    public bool IsDurable => true;

    public IDisposable? AcquireWriterLock() => Store.AcquireWriterLock();

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

    /// <summary>The head of <paramref name="branch"/> as stored, or null when the branch has none. Cheap: one small read.</summary>
    public HeadRecord? ReadHead(Keyword branch)
    {
        var key = StoreLayout.HeadKey(branch);
        var bytes = Store.Get(key);
        if (bytes is null) return null;
        var payload = Envelope.Open(bytes, key, Envelope.KindHead);
        if (payload.Length != HeadRecord.Size) throw new CorruptionException(key, $"a head holds {HeadRecord.Size} bytes");
        return HeadRecord.Read(payload);
    }

    /// <summary>
    /// The commit a stored head stands for: its newest commit when that commit's pack is whole, else
    /// (its write was torn by a crash) the commit before it. When neither is whole — a copy of the
    /// folder taken while the writer appended, heads copied last — the newest whole commit in the
    /// segments. Null when there is none. A pack that is all there but damaged is a
    /// <see cref="CorruptionException"/>, not a reason to go back.
    /// </summary>
    public (Guid Id, NodeAddress Address)? Resolve(HeadRecord head)
    {
        if (IsWhole(head.Address)) return (head.Id, head.Address);
        if (head.PreviousAddress.IsStored && IsWhole(head.PreviousAddress)) return (head.PreviousId, head.PreviousAddress);
        return LastWholeCommit();
    }

    /// <summary>Whether the pack holding the commit record at <paramref name="commit"/> is whole.</summary>
    private bool IsWhole(NodeAddress commit)
    {
        var (segment, offset, length) = Packs.Locate(commit);
        string key = Packs.Key(segment);
        return Packs.PackStartOf(Store, key, offset + length) is { } start && Packs.IsWhole(Store, key, start);
    }

    /// <summary>The commit of the last whole pack of the newest segment that has one (a commit record is the last object of its pack).</summary>
    private (Guid Id, NodeAddress Address)? LastWholeCommit()
    {
        var segments = new List<ulong>();
        foreach (var key in Store.List(Packs.Prefix))
        {
            if (Packs.TryParseKey(key, out var id)) segments.Add(id);
        }
        segments.Sort();
        for (int s = segments.Count - 1; s >= 0; s--)
        {
            string key = Packs.Key(segments[s]);
            var packs = Packs.Regions(Store, key);
            for (int p = packs.Count - 1; p >= 0; p--)
            {
                if (!Packs.IsWhole(Store, key, packs[p].Start)) continue;
                var (offset, length) = Packs.ObjectsOf(Store, key, packs[p].Start, packs[p].Length)[^1];
                var address = Packs.Address(segments[s], offset, length);
                return (ReadCommit(address).Info.Id, address);
            }
        }
        return null;
    }

    /// <summary>The commit <paramref name="branch"/> stands at (see <see cref="Resolve"/>), or null when it has none.</summary>
    public (Guid Id, NodeAddress Address)? ReadResolvedHead(Keyword branch) => ReadHead(branch) is { } head ? Resolve(head) : null;

    public Guid? HeadId(Keyword branch) => ReadHead(branch)?.Id;

    public DbState? LoadHead(Keyword branch, DbOptions options) => ReadResolvedHead(branch) is { } head ? Load(head.Address, options) : null;

    /// <summary>
    /// Finds a commit by id: commits this process wrote or read are remembered; others are looked for
    /// by walking every branch's history from its head (one small read per commit).
    /// </summary>
    public CommitInfo? FindCommit(Guid id)
    {
        if (_commitAddresses.TryGetValue(id, out var known)) return TryReadCommit(known)?.Info;
        var seen = new HashSet<NodeAddress>();
        var pending = new Queue<NodeAddress>();
        foreach (var branch in ReadBranches())
        {
            if (ReadResolvedHead(branch) is { } head) pending.Enqueue(head.Address);
        }
        while (pending.TryDequeue(out var address))
        {
            if (!seen.Add(address) || TryReadCommit(address) is not { } record) continue;
            if (record.Info.Id == id) return record.Info;
            foreach (var parent in record.Info.ParentAddresses) pending.Enqueue(parent);
        }
        return null;
    }

    /// <summary>The commit record at <paramref name="address"/>, or null when garbage collection removed it.</summary>
    public CommitRecord? TryReadCommit(NodeAddress address)
    {
        if (Nodes.TryReadObject(address) is not { } bytes) return null;
        var record = CommitRecord.Decode(bytes, Packs.Describe(address), address);
        _commitAddresses.TryAdd(record.Info.Id, address);
        return record;
    }

    public IReadOnlyList<CommitInfo> ParentsOf(CommitInfo commit)
    {
        var parents = new List<CommitInfo>(commit.ParentAddresses.Count);
        foreach (var address in commit.ParentAddresses)
        {
            if (TryReadCommit(address) is { } record) parents.Add(record.Info);
        }
        return parents;
    }

    public DbState LoadCommit(CommitInfo commit, DbOptions options) => Load(commit.Address, options);

    public void SetHead(Keyword branch, CommitInfo commit, bool create)
    {
        bool exists = HeadId(branch) is not null && ReadBranches().Contains(branch);
        if (create && exists) throw Errors.BranchExists(branch);
        if (!create && !exists) throw Errors.BranchMissing(branch);
        if (create) _heads.Remove(branch);
        MoveHead(branch, new HeadRecord(commit.Id, commit.Address,
            commit.Parents.Count > 0 ? commit.Parents[0] : Guid.Empty, commit.ParentAddresses.Count > 0 ? commit.ParentAddresses[0] : default));
        Store.Sync();
    }

    public void DeleteBranch(Keyword branch)
    {
        if (HeadId(branch) is null || !ReadBranches().Contains(branch)) throw Errors.BranchMissing(branch);
        // The head goes first: a crash before the branch set changes leaves a listed branch without a head, which reads as missing.
        Store.Delete(StoreLayout.HeadKey(branch));
        _heads.Remove(branch);
        UpdateBranches(branches =>
        {
            branches.Remove(branch);
            return branches;
        });
        Store.Sync();
    }

    /// <summary>The branches listed in the branch set (a listed branch exists when it also has a head).</summary>
    public IReadOnlySet<Keyword> ReadBranches() => DecodeBranches(Store.Get(StoreLayout.BranchesKey));

    private static HashSet<Keyword> DecodeBranches(byte[]? bytes)
    {
        if (bytes is null) return new HashSet<Keyword>();
        var set = ValueCodec.Decode(Envelope.Open(bytes, StoreLayout.BranchesKey, Envelope.KindBranches), StoreLayout.BranchesKey) as EdnSet
            ?? throw new CorruptionException(StoreLayout.BranchesKey, "it is not a set");
        return set.Select(b => b as Keyword ?? throw new CorruptionException(StoreLayout.BranchesKey, "a branch name is not a keyword")).ToHashSet();
    }

    public CommitRecord ReadCommit(NodeAddress address) => TryReadCommit(address) ?? throw new CorruptionException(Packs.Describe(address), "the commit was collected");

    /// <summary>Opens the database state stored by the commit at <paramref name="address"/>.</summary>
    public DbState Load(NodeAddress address, DbOptions options)
    {
        var commit = ReadCommit(address);
        var ix = commit.Indexes;
        return new DbState
        {
            Eavt = Roots.Read<EavtOrder>(ix[0].Chunks, ix[0].Count),
            Aevt = Roots.Read<AevtOrder>(ix[1].Chunks, ix[1].Count),
            Avet = Roots.Read<AvetOrder>(ix[2].Chunks, ix[2].Count),
            TemporalEavt = Roots.Read<EavtOrder>(ix[3].Chunks, ix[3].Count),
            TemporalAevt = Roots.Read<AevtOrder>(ix[4].Chunks, ix[4].Count),
            TemporalAvet = Roots.Read<AvetOrder>(ix[5].Chunks, ix[5].Count),
            Schema = ReadSchema(commit.Schema),
            Options = options,
            MaxEid = commit.MaxEid,
            MaxTx = commit.MaxTx,
            LastTxInstant = commit.LastTxInstant,
            Commit = commit.Info,
        };
    }

    /// <summary>
    /// Builds commit <paramref name="info"/> of <paramref name="state"/>: the pack of everything that
    /// changed. Returns it with the committed state, whose trees load through this store once
    /// <see cref="Persist"/> has written it. CPU only.
    /// </summary>
    public PreparedCommit Prepare(DbState state, CommitInfo info)
    {
        Nodes.OpenPack();
        try
        {
            return PrepareInOpenPack(state, info);
        }
        catch
        {
            // A value that cannot be stored fails the commit, and the writer goes on from its head.
            Nodes.AbandonPack();
            throw;
        }
    }

    private PreparedCommit PrepareInOpenPack(DbState state, CommitInfo info)
    {
        var (k0, eavt) = Roots.Write(state.Eavt);
        var (k1, aevt) = Roots.Write(state.Aevt);
        var (k2, avet) = Roots.Write(state.Avet);
        var (k3, teavt) = Roots.Write(state.TemporalEavt);
        var (k4, taevt) = Roots.Write(state.TemporalAevt);
        var (k5, tavet) = Roots.Write(state.TemporalAvet);
        NodeAddress schema;
        if (_schemaAddresses.TryGetValue(state.Schema, out var known))
        {
            schema = (NodeAddress)known;
        }
        else
        {
            schema = Nodes.Append(SchemaCodec.Encode(state.Schema));
            _schemaAddresses.AddOrUpdate(state.Schema, schema);
        }
        var record = new CommitRecord(info, state.MaxEid, state.MaxTx, state.LastTxInstant, schema,
        [
            new(eavt.Count, k0), new(aevt.Count, k1), new(avet.Count, k2),
            new(teavt.Count, k3), new(taevt.Count, k4), new(tavet.Count, k5),
        ]);
        var address = Nodes.Append(record.Encode());
        var pack = Nodes.ClosePack();
        var committed = state with
        {
            Eavt = eavt,
            Aevt = aevt,
            Avet = avet,
            TemporalEavt = teavt,
            TemporalAevt = taevt,
            TemporalAvet = tavet,
            Commit = info with { Address = address },
        };
        return new PreparedCommit(committed, pack);
    }

    /// <summary>
    /// Writes a prepared commit: appends its pack, then syncs it while moving <paramref name="branch"/>
    /// to it; returns when both are durable. Commits are persisted in the order they were prepared.
    /// Throws <c>db/writer-conflict</c> when the head moved under this writer.
    /// </summary>
    public void Persist(PreparedCommit commit, Keyword branch)
    {
        var pack = commit.Pack ?? throw new ArgumentException("A durable commit has a pack", nameof(commit));
        Nodes.Persist(pack);
        var info = commit.State.Commit!;
        _commitAddresses.TryAdd(info.Id, info.Address);
        var head = new HeadRecord(info.Id, info.Address,
            info.Parents.Count > 0 ? info.Parents[0] : Guid.Empty, info.ParentAddresses.Count > 0 ? info.ParentAddresses[0] : default);
        // The head may reach the disk before the pack: then its checksum fails and Resolve takes the previous commit.
        var moving = Task.Run(() => MoveHead(branch, head));
        try
        {
            Store.Sync();
        }
        finally
        {
            moving.GetAwaiter().GetResult();
        }
    }

    public void ForgetHeads() => _heads.Clear();

    public void Dispose() => Store.Dispose();

    private void MoveHead(Keyword branch, HeadRecord head)
    {
        var key = StoreLayout.HeadKey(branch);
        bool listed = true;
        if (!_heads.TryGetValue(branch, out var expected))
        {
            // The first move of a branch by this writer: is it listed yet?
            expected = Store.Get(key);
            listed = ReadBranches().Contains(branch);
        }
        // Listed before the head is written: a branch exists once both are there, and a crash between
        // leaves a listed branch without a head, which reads as missing and can be created again.
        if (!listed) AddBranch(branch);
        var value = Envelope.Seal(Envelope.KindHead, head.ToBytes());
        if (!Store.CompareAndSet(key, expected, expected is null, value))
        {
            _heads.Remove(branch);
            throw Errors.WriterConflict(key);
        }
        _heads[branch] = value;
    }

    private void AddBranch(Keyword branch) => UpdateBranches(branches =>
    {
        branches.Add(branch);
        return branches;
    });

    private void UpdateBranches(Func<HashSet<Keyword>, HashSet<Keyword>> update)
    {
        var current = Store.Get(StoreLayout.BranchesKey);
        var branches = update(DecodeBranches(current));
        var encoded = ValueCodec.Encode(EdnSet.Create(branches.Cast<object?>()));
        if (!Store.CompareAndSet(StoreLayout.BranchesKey, current, current is null, Envelope.Seal(Envelope.KindBranches, encoded)))
        {
            throw Errors.WriterConflict(StoreLayout.BranchesKey);
        }
    }

    private Schema ReadSchema(NodeAddress address)
    {
        if (_lastSchema is { } last && last.Item1 == address) return last.Item2;
        var schema = SchemaCodec.Decode(Nodes.ReadObject(address), Packs.Describe(address));
        _schemaAddresses.AddOrUpdate(schema, address);
        _lastSchema = Tuple.Create(address, schema);
        return schema;
    }
}
