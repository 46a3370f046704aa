using System.Runtime.CompilerServices;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Stored;
using Hike.Index.Tree;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// A database's commits in a key/value store. Writing a commit appends the nodes and chunks that
/// changed, the schema when it changed, and the commit record to one pack; syncs the pack; and only
/// then moves the branch head (a compare-and-set, itself durable), which names the new commit, where
/// its pack starts and ends, and the commit before it. A crash at any point so leaves the old commit
/// or the new one, and a head never names a pack that is not whole unless the disk lost or damaged
/// it, which reads as corruption (<see cref="Resolve"/>).
/// Opening a commit reads its record, schema and index chunks at once, then each partition's root at
/// once (<see cref="ParallelReads"/>: on a server, a round trip for each step, not for each object);
/// every other node loads lazily through the bounded cache. On such a store a head carries its commit
/// record, so a reader opening a branch waits for three round trips: the head, then the chunks (with
/// the check of the head's pack), then the roots. Reads are thread-safe; writes come from the single
/// writer.
/// </summary>
internal sealed class StoredCommitLog : ICommitLog
{
    private readonly ConditionalWeakTable<Schema, object> _schemaAddresses = [];
    private readonly ConditionalWeakTable<ISecondaryIndex, object> _secondaryRoots = [];
    private readonly SecondaryIndexUpkeep _upkeep;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, NodeAddress> _commitAddresses = new();
    /// <summary>The largest commit record a head carries (one with hundreds of index chunks is left in its pack).</summary>
    private const int MaxInlineRecord = 16 << 10;

    private readonly Dictionary<Keyword, byte[]?> _heads = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]?> _readAhead = new(StringComparer.Ordinal);
    private volatile Tuple<NodeAddress, Schema>? _lastSchema;
    private int _format;

    /// <summary>A database's commits in <paramref name="store"/>, whose system failures reach callers as <c>storage/io</c> errors.</summary>
    public StoredCommitLog(IKeyValueStore store, long cacheBytes)
    {
        _upkeep = new SecondaryIndexUpkeep(() => SecondaryUpkeepDone?.Invoke());
        Store = store as ReportingStore ?? new ReportingStore(store);
        Nodes = new NodeStore(Store, new NodeCache(cacheBytes));
        Roots = new IndexRoots(Nodes);
    }

    public ReportingStore Store { get; }

    public NodeStore Nodes { get; }

    public IndexRoots Roots { get; }

    public bool IsDurable => true;

    public IKeyValueStore? Objects => Store;

    /// <summary>Takes the store's writer lock; then brings a store of an older format up to this one (the writer alone may).</summary>
    public IDisposable? AcquireWriterLock()
    {
        var held = Store.AcquireWriterLock();
        try
        {
            if (Format < StoreLayout.FormatVersion && Store.Get(StoreLayout.ConfigKey) is not null) UpgradeFormat();
        }
        catch
        {
            held.Dispose();
            throw;
        }
        return held;
    }

    /// <summary>The store's format version (<see cref="StoreLayout.FormatVersion"/> for a new store), read once.</summary>
    private int Format
    {
        get
        {
            if (_format != 0) return _format;
            int format = Get(StoreLayout.ConfigKey) is null ? StoreLayout.FormatVersion : StoreLayout.DecodeFormat(Get(StoreLayout.FormatKey));
            if (format > StoreLayout.FormatVersion) throw Errors.StoreFormat(format, StoreLayout.FormatVersion);
            _format = format;
            return format;
        }
    }

    /// <summary>
    /// Where <paramref name="branch"/>'s head is: its key, except in a format 1 store whose head of this
    /// branch has not moved to it yet.
    /// </summary>
    private string HeadKeyOf(Keyword branch)
    {
        var key = StoreLayout.HeadKey(branch);
        if (Format >= 2) return key;
        var legacy = StoreLayout.LegacyHeadKey(branch);
        return legacy == key || Get(key) is not null ? key : legacy;
    }

    /// <summary>
    /// Brings the store to this build's format. Format 1 to 2: moves each head whose key changed (plain
    /// names starting with <c>x-</c>) to its new key — written and synced before the old one goes, so
    /// readers find one or the other. Two listed branches that format 1 stored under one key are
    /// reported, not merged. Format 2 to 3 changes no key (heads may carry their commit record from now
    /// on). Then records the format.
    /// </summary>
    private void UpgradeFormat()
    {
        if (Format < 2) MoveLegacyHeads();
        StoreLayout.WriteFormat(Store);
        Store.Sync();
        _format = StoreLayout.FormatVersion;
        _heads.Clear();
    }

    private void MoveLegacyHeads()
    {
        var branches = ReadBranches();
        foreach (var shared in branches.GroupBy(StoreLayout.LegacyHeadKey).Where(g => g.Count() > 1))
        {
            throw Errors.Corrupt(shared.Key, $"branches {string.Join(" and ", shared.Select(b => Errors.Show(b)))} share this head, as format 1 could store them; only one of them is what it names");
        }
        var moved = new List<string>();
        foreach (var branch in branches)
        {
            string legacy = StoreLayout.LegacyHeadKey(branch), key = StoreLayout.HeadKey(branch);
            if (legacy == key || Store.Get(legacy) is not { } head) continue;
            if (Store.Get(key) is null) Store.Put(key, head);
            moved.Add(legacy);
        }
        Store.Sync();
        foreach (var legacy in moved) Store.Delete(legacy);
    }

    /// <summary>The configuration the database was created with, or null when the store holds no database.</summary>
    public EdnMap? ReadConfig()
    {
        var bytes = Get(StoreLayout.ConfigKey);
        if (!StoreLayout.IsDatabaseConfig(bytes)) return null;
        var text = System.Text.Encoding.UTF8.GetString(Envelope.Open(bytes, StoreLayout.ConfigKey, Envelope.KindConfig));
        return EdnReader.Read(text) as EdnMap ?? throw Errors.Corrupt(StoreLayout.ConfigKey, "it is not a map");
    }

    /// <summary>Stores the store format and the creation config; durable with the first commit's sync.</summary>
    public void WriteConfig(EdnMap config)
    {
        StoreLayout.WriteFormat(Store);
        Store.Put(StoreLayout.ConfigKey, Envelope.Seal(Envelope.KindConfig, System.Text.Encoding.UTF8.GetBytes(EdnPrinter.Print(config))));
        _format = StoreLayout.FormatVersion;
    }

    public bool TryCreate(EdnMap config)
    {
        if (ReadConfig() is not null) return false;
        WriteConfig(config);
        return true;
    }

    /// <summary>
    /// Reads <paramref name="keys"/> at once (on a server, one round trip) and answers reads of them
    /// from what was read until the returned scope ends: an open reads its config, format, branch set
    /// and head together. Only for the open's own reads: nothing read ahead outlives it.
    /// </summary>
    public IDisposable ReadAhead(IReadOnlyList<string> keys)
    {
        var values = ParallelReads.Run(Store, keys.Select(k => (Func<byte[]?>)(() => Store.Get(k))).ToList());
        for (int i = 0; i < keys.Count; i++) _readAhead[keys[i]] = values[i];
        return new ReadAheadScope(this, keys);
    }

    /// <summary>A key's value: as read ahead by the open in progress, or read now.</summary>
    private byte[]? Get(string key) => _readAhead.TryGetValue(key, out var value) ? value : Store.Get(key);

    /// <summary>The head of <paramref name="branch"/> as stored, or null when the branch has none. Cheap: one small read.</summary>
    public HeadRecord? ReadHead(Keyword branch) => ReadHead(HeadKeyOf(branch));

    private HeadRecord? ReadHead(string key)
    {
        var bytes = Get(key);
        if (bytes is null) return null;
        return HeadRecord.Read(Envelope.Open(bytes, key, Envelope.KindHead))
            ?? throw Errors.Corrupt(key, $"a head holds {HeadRecord.Size} bytes (or {HeadRecord.LegacySize}, written by format 1)");
    }

    /// <summary>
    /// The commit a stored head stands for, checked: the pack holding it must be whole. A head is
    /// written only after its pack is durable, so no crash leaves a head naming a pack that is not:
    /// a pack cut short, missing, torn or damaged under a head is a <see cref="CorruptionException"/>
    /// naming the pack — a lost or damaged write — never a reason to answer from an older commit.
    /// </summary>
    public (Guid Id, NodeAddress Address) Resolve(HeadRecord head, string key)
    {
        if (!head.RecordsPack)
        {
            RequireWhole(head.Address, key);
            return (head.Id, head.Address);
        }
        var (segment, offset, length) = Packs.Locate(head.Address);
        string where = $"{Packs.Key(segment)}@{head.PackStart}";
        if (offset < head.PackStart || offset + length > head.PackEnd) throw Errors.Corrupt(key, $"its commit lies outside the pack it records ({where})");
        var state = Packs.StateOf(Store, Packs.Key(segment), head.PackStart, head.PackEnd - head.PackStart);
        if (state == PackState.Whole) return (head.Id, head.Address);
        throw Errors.Corrupt(where, state == PackState.Torn
            ? $"the pack of commit {head.Id}, the newest of {key}, is missing or cut short, though it was durable before the head named it"
            : $"the pack of commit {head.Id}, the newest of {key}, fails its checksum");
    }

    /// <summary>Throws a <see cref="CorruptionException"/> unless the pack holding the commit record at <paramref name="commit"/> is whole.</summary>
    public void RequireWhole(NodeAddress commit, string headKey)
    {
        var (segment, _, _) = Packs.Locate(commit);
        if (Packs.PackOf(Store, commit) is not { } pack)
            throw Errors.Corrupt(Packs.Describe(commit), $"the pack holding a commit {headKey} reaches is missing or its index is damaged");
        if (Packs.StateOf(Store, Packs.Key(segment), pack.Start, pack.Length) != PackState.Whole)
            throw Errors.Corrupt($"{Packs.Key(segment)}@{pack.Start}", $"the pack holding a commit {headKey} reaches is not whole");
    }

    /// <summary>The commit <paramref name="branch"/> stands at (see <see cref="Resolve"/>), or null when it has none.</summary>
    public (Guid Id, NodeAddress Address)? ReadResolvedHead(Keyword branch)
    {
        var key = HeadKeyOf(branch);
        return ReadHead(key) is { } head ? Resolve(head, key) : null;
    }

    public Guid? HeadId(Keyword branch) => ReadHead(branch)?.Id;

    public BranchTip? ReadTip(Keyword branch)
    {
        var key = HeadKeyOf(branch);
        return ReadHead(key) is { } head ? new BranchTip(head.Id, options => LoadTip(head, key, options)) : null;
    }

    public bool LoadsAhead => !Store.AppendsInPlace;

    /// <summary>
    /// The state <paramref name="head"/> (read from <paramref name="key"/>) stands for, its pack checked
    /// (<see cref="Resolve"/>) alongside reading its record, or, when the head carries the record,
    /// alongside reading the chunks.
    /// </summary>
    private DbState LoadTip(HeadRecord head, string key, DbOptions options)
    {
        if (head.Record is { } inline)
        {
            var record = CommitRecord.Decode(inline, key, head.Address);
            _commitAddresses.TryAdd(record.Info.Id, head.Address);
            return LoadState(record, options, () => Resolve(head, key));
        }
        var reads = ParallelReads.Run<CommitRecord?>(Store, [() =>
        {
            Resolve(head, key);
            return null;
        }, () => ReadCommit(head.Address)]);
        return LoadState(reads[1]!, options, alongside: null);
    }

    /// <summary>
    /// Finds a commit by id: commits this process wrote or read are remembered; others are looked for
    /// by walking every branch's history from its head (one small read per commit), then among the
    /// records of every pack.
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
        return FindUnreachableCommit(id, seen);
    }

    /// <summary>
    /// A commit no branch reaches, found by reading the record of every pack: one a recovery moved a
    /// branch away from, or one a crash left between its pack's sync and its head's move. O(packs).
    /// </summary>
    private CommitInfo? FindUnreachableCommit(Guid id, HashSet<NodeAddress> seen)
    {
        foreach (var key in Store.List(Packs.Prefix))
        {
            if (!Packs.TryParseKey(key, out var segment)) continue;
            SegmentScan scan;
            try
            {
                scan = Packs.Scan(Store, key);
            }
            catch (CorruptionException)
            {
                continue; // a damaged segment holds no commit that can be opened whole
            }
            foreach (var pack in scan.Packs)
            {
                var (offset, length) = pack.Objects[^1];
                var address = Packs.Address(segment, offset, length);
                if (seen.Contains(address)) continue;
                try
                {
                    if (TryReadCommit(address) is { } record && record.Info.Id == id) return record.Info;
                }
                catch (CorruptionException)
                {
                    // Not this one; keep looking.
                }
            }
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
        MoveHead(branch, HeadRecord.Of(commit));
        Store.Sync();
    }

    public void DeleteBranch(Keyword branch)
    {
        if (HeadId(branch) is null || !ReadBranches().Contains(branch)) throw Errors.BranchMissing(branch);
        // The head goes first: a crash before the branch set changes leaves a listed branch without a head, which reads as missing.
        Store.Delete(HeadKeyOf(branch));
        _heads.Remove(branch);
        UpdateBranches(branches =>
        {
            branches.Remove(branch);
            return branches;
        });
        Store.Sync();
    }

    /// <summary>The branches listed in the branch set (a listed branch exists when it also has a head).</summary>
    public IReadOnlySet<Keyword> ReadBranches() => DecodeBranches(Get(StoreLayout.BranchesKey));

    private static HashSet<Keyword> DecodeBranches(byte[]? bytes)
    {
        if (bytes is null) return new HashSet<Keyword>();
        var set = ValueCodec.Decode(Envelope.Open(bytes, StoreLayout.BranchesKey, Envelope.KindBranches), StoreLayout.BranchesKey) as EdnSet
            ?? throw Errors.Corrupt(StoreLayout.BranchesKey, "it is not a set");
        return set.Select(b => b as Keyword ?? throw Errors.Corrupt(StoreLayout.BranchesKey, "a branch name is not a keyword")).ToHashSet();
    }

    public CommitRecord ReadCommit(NodeAddress address) => TryReadCommit(address) ?? throw Errors.Corrupt(Packs.Describe(address), "the commit was collected");

    /// <summary>Opens the database state stored by the commit at <paramref name="address"/>.</summary>
    public DbState Load(NodeAddress address, DbOptions options) => LoadState(ReadCommit(address), options, alongside: null);

    /// <summary>
    /// The state <paramref name="commit"/> stores: its chunks and schema read at once (with
    /// <paramref name="alongside"/>, when given), then every partition root at once.
    /// </summary>
    private DbState LoadState(CommitRecord commit, DbOptions options, Action? alongside)
    {
        var chunks = commit.Indexes.SelectMany(ix => ix.Chunks).Where(a => a.IsStored).Distinct().ToList();
        var reads = new List<Func<object?>>(chunks.Count + 2);
        foreach (var chunk in chunks) reads.Add(() => Nodes.ReadObject(chunk));
        reads.Add(() => ReadSchema(commit.Schema));
        foreach (var (_, root) in commit.Secondary) reads.Add(() => Nodes.ReadObject(root));
        if (alongside is not null)
        {
            reads.Add(() =>
            {
                alongside();
                return null;
            });
        }
        var read = ParallelReads.Run(Store, reads);
        var opened = Roots.Open(chunks, [.. read.Take(chunks.Count).Cast<byte[]>()]);
        var ix = commit.Indexes;
        return new DbState
        {
            Eavt = Roots.Read<EavtOrder>(ix[0].Chunks, ix[0].Count, opened),
            Aevt = Roots.Read<AevtOrder>(ix[1].Chunks, ix[1].Count, opened),
            Avet = Roots.Read<AvetOrder>(ix[2].Chunks, ix[2].Count, opened),
            TemporalEavt = Roots.Read<EavtOrder>(ix[3].Chunks, ix[3].Count, opened),
            TemporalAevt = Roots.Read<AevtOrder>(ix[4].Chunks, ix[4].Count, opened),
            TemporalAvet = Roots.Read<AvetOrder>(ix[5].Chunks, ix[5].Count, opened),
            Schema = (Schema)read[chunks.Count]!,
            Secondary = ReadSecondary(commit, read, chunks.Count + 1),
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
        var (secondary, secondaryRoots) = WriteSecondary(_upkeep.Compact(state.Secondary, state.Options.KeepHistory));
        _upkeep.StartNext(secondary, state.Options.KeepHistory);
        var record = new CommitRecord(info, state.MaxEid, state.MaxTx, state.LastTxInstant, schema,
        [
            new(eavt.Count, k0), new(aevt.Count, k1), new(avet.Count, k2),
            new(teavt.Count, k3), new(taevt.Count, k4), new(tavet.Count, k5),
        ])
        {
            Secondary = secondaryRoots,
        };
        var encoded = record.Encode();
        var address = Nodes.Append(encoded);
        var pack = Nodes.ClosePack();
        var committed = state with
        {
            Eavt = eavt,
            Aevt = aevt,
            Avet = avet,
            TemporalEavt = teavt,
            TemporalAevt = taevt,
            TemporalAvet = tavet,
            Secondary = secondary,
            Commit = info with { Address = address },
        };
        return new PreparedCommit(committed, pack, encoded);
    }

    /// <summary>
    /// The secondary indices as this commit stores them, with the roots of those that hold anything:
    /// an index the commit before stored as it is keeps its root (an index is immutable, so the same
    /// object is the same index); another writes what changed and a new root.
    /// </summary>
    private (SecondaryIndexes Indexes, IReadOnlyList<(ISecondaryIndexKind Kind, NodeAddress Root)> Roots) WriteSecondary(SecondaryIndexes indexes)
    {
        var roots = new List<(ISecondaryIndexKind, NodeAddress)>();
        var stored = indexes.Select((kind, index) =>
        {
            if (index.IsEmpty) return index;
            if (_secondaryRoots.TryGetValue(index, out var known))
            {
                roots.Add((kind, (NodeAddress)known));
                return index;
            }
            var (written, root) = kind.Write(index, Nodes);
            _secondaryRoots.AddOrUpdate(written, root);
            roots.Add((kind, root));
            return written;
        });
        return (stored, roots);
    }

    /// <summary>The secondary indices of <paramref name="commit"/>, whose roots are <paramref name="read"/> from <paramref name="first"/> on (in the record's order).</summary>
    private SecondaryIndexes ReadSecondary(CommitRecord commit, object?[] read, int first)
    {
        var indexes = SecondaryIndexes.Empty;
        for (int i = 0; i < commit.Secondary.Count; i++)
        {
            var (kind, root) = commit.Secondary[i];
            indexes = indexes.With(kind, kind.Read(Nodes, root, (byte[])read[first + i]!));
        }
        return indexes;
    }

    /// <summary>
    /// Writes a prepared commit: appends its pack and syncs it, then moves <paramref name="branch"/>
    /// to it (a compare-and-set, durable when it returns). The head is written only once the pack is
    /// durable, so a head never names a pack that did not reach the disk — not after a crash, and not
    /// after a disk that lost an acknowledged write, which therefore reads as corruption rather than
    /// as an older commit. Commits are persisted in the order they were prepared. Throws
    /// <c>db/writer-conflict</c> when the head moved under this writer.
    /// </summary>
    public void Persist(PreparedCommit commit, Keyword branch)
    {
        var pack = commit.Pack ?? throw new ArgumentException("A durable commit has a pack", nameof(commit));
        // Where reads are round trips the head carries the record, which a reader then does not wait for.
        var inline = Store.AppendsInPlace || commit.Record is not { Length: <= MaxInlineRecord } ? null : commit.Record;
        var head = HeadRecord.Of(commit.State.Commit!, pack.Offset, pack.Offset + pack.Length, inline);
        _commitAddresses.TryAdd(head.Id, head.Address);
        if (Store.AppendsInPlace)
        {
            Nodes.Persist(pack);
            Store.Sync();
            MoveHead(branch, head);
            return;
        }
        // A store whose values are replaced whole creates the pack and moves the head in one step where it can (a SQL transaction).
        var (key, expected) = ExpectedHead(branch);
        var value = Envelope.Seal(Envelope.KindHead, head.ToBytes());
        if (!Nodes.PersistWithHead(pack, key, expected, value)) throw HeadConflict(branch, key);
        _heads[branch] = value;
    }

    public void ForgetHeads() => _heads.Clear();

    /// <summary>Takes the collection's snapshot (<see cref="StorageGc.Snapshot"/>) now; the returned work sweeps the store.</summary>
    public Func<CancellationToken, int> StartCollection(DateTime removeBefore)
    {
        var start = StorageGc.Snapshot(this);
        return cancellationToken => StorageGc.Collect(this, start, removeBefore, cancellationToken);
    }

    public Action? SecondaryUpkeepDone { get; set; }

    public SecondaryIndexes WithFinishedUpkeep(SecondaryIndexes indexes) => _upkeep.WithFinished(indexes);

    public void Dispose()
    {
        _upkeep.Dispose();
        Store.Dispose();
    }

    private void MoveHead(Keyword branch, HeadRecord head)
    {
        var (key, expected) = ExpectedHead(branch);
        var value = Envelope.Seal(Envelope.KindHead, head.ToBytes());
        if (!Store.CompareAndSet(key, expected, expected is null, value)) throw HeadConflict(branch, key);
        _heads[branch] = value;
    }

    /// <summary>
    /// Where <paramref name="branch"/>'s head is and what it holds before this writer moves it (null:
    /// absent). The first move of a branch by this writer reads it, and lists the branch first when it
    /// is not: a branch exists once both are there, and a crash between leaves a listed branch without
    /// a head, which reads as missing and can be created again.
    /// </summary>
    private (string Key, byte[]? Expected) ExpectedHead(Keyword branch)
    {
        var key = HeadKeyOf(branch);
        if (_heads.TryGetValue(branch, out var expected)) return (key, expected);
        expected = Store.Get(key);
        if (!ReadBranches().Contains(branch)) AddBranch(branch);
        return (key, expected);
    }

    /// <summary>The head moved under this writer: it forgets what it knew of it.</summary>
    private HikeException HeadConflict(Keyword branch, string key)
    {
        _heads.Remove(branch);
        return Errors.WriterConflict(key);
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
        if (!Store.CompareAndSet(StoreLayout.BranchesKey, current, current is null, EncodeBranches(branches)))
        {
            throw Errors.WriterConflict(StoreLayout.BranchesKey);
        }
    }

    private static byte[] EncodeBranches(IEnumerable<Keyword> branches) =>
        Envelope.Seal(Envelope.KindBranches, ValueCodec.Encode(EdnSet.Create(branches.Cast<object?>())));

    /// <summary>
    /// Recovery: writes <paramref name="branch"/>'s head afresh, naming <paramref name="commit"/>,
    /// replacing whatever its file holds (damaged slots included). Durable at the next sync. Writer-lock holder only.
    /// </summary>
    public void RewriteHead(Keyword branch, CommitInfo commit)
    {
        Store.Put(HeadKeyOf(branch), Envelope.Seal(Envelope.KindHead, HeadRecord.Of(commit).ToBytes()));
        _heads.Remove(branch);
    }

    /// <summary>Recovery: writes the branch set afresh. Durable at the next sync. Writer-lock holder only.</summary>
    public void RewriteBranches(IEnumerable<Keyword> branches) => Store.Put(StoreLayout.BranchesKey, EncodeBranches(branches));

    /// <summary>Recovery: reads the store as format <paramref name="version"/> when its format record is damaged.</summary>
    public void AssumeFormat(int version) => _format = version;

    /// <summary>Where <paramref name="branch"/>'s head is stored.</summary>
    public string HeadKey(Keyword branch) => HeadKeyOf(branch);

    private Schema ReadSchema(NodeAddress address)
    {
        if (_lastSchema is { } last && last.Item1 == address) return last.Item2;
        var schema = SchemaCodec.Decode(Nodes.ReadObject(address), Packs.Describe(address));
        _schemaAddresses.AddOrUpdate(schema, address);
        _lastSchema = Tuple.Create(address, schema);
        return schema;
    }

    private sealed class ReadAheadScope(StoredCommitLog log, IReadOnlyList<string> keys) : IDisposable
    {
        public void Dispose()
        {
            foreach (var key in keys) log._readAhead.TryRemove(key, out _);
        }
    }
}
