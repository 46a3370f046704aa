using Hike.Index.Codec;
using Hike.Index.Datoms;
using Hike.Index.Tree;
using Hike.Storage;

namespace Hike.Index.Stored;

/// <summary>
/// Stored objects in packs (<see cref="Packs"/>): loads index nodes by address through the bounded
/// <see cref="NodeCache"/>, and, while a pack is open, collects a commit's new objects — a tree's
/// unstored nodes children first, the values they store out of line before them — and appends the
/// pack to the writer's segment when it closes. Loading is thread-safe; writing is done by the
/// single writer.
/// </summary>
internal sealed partial class NodeStore(IKeyValueStore store, NodeCache cache) : INodeLoader<IndexDatom>
{
    /// <summary>How many nodes a store's prefetching reads at once.</summary>
    private const int PrefetchConcurrency = 16;

    private readonly List<(long Offset, int Length)> _objects = [];
    /// <summary>How long a prefetching thread waits for more work before it ends.</summary>
    private static readonly TimeSpan PrefetcherIdle = TimeSpan.FromSeconds(2);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<NodeAddress, Task<Node<IndexDatom>>> _loading = new();
    private readonly System.Collections.Concurrent.BlockingCollection<(NodeAddress, TaskCompletionSource<Node<IndexDatom>>)> _prefetchQueue = [];
    private int _prefetchers;
    private ByteSink? _pack;
    private ulong _segment;
    private long _segmentLength;
    private long _packStart;

    // The object being written (between BeginObject and EndObject): where it starts in the pack, and
    // how many references to values stored out of line it holds.
    private int _objectStart;
    private int _objectRefs;

    public IKeyValueStore Store { get; } = store;

    public NodeCache Cache { get; } = cache;

    /// <summary>The segment this writer appends to (0 before its first commit) and how much of it is written: only it ever grows.</summary>
    public (ulong Segment, long Length) PersistedLength { get; private set; }

    public Node<IndexDatom> Load(NodeAddress address)
    {
        if (Cache.TryGet(address, out var cached)) return cached;
        if (_loading.TryGetValue(address, out var loading))
        {
            // Fetched ahead and still in flight: wait for it rather than read it twice. A failed fetch
            // is read again here, so its error is this caller's.
            try
            {
                return loading.GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // The read below fails again, as this caller's own.
            }
        }
        var node = Read(address);
        return Cache.Add(node, NodeWeight.Of(node, _values));
    }

    /// <summary>
    /// Starts reading, in the background, the nodes at <paramref name="addresses"/>[<paramref name="from"/>, +<paramref name="count"/>)
    /// that are neither cached nor already being read — in a store whose reads are round trips (one that
    /// does not append in place: a server). Up to <see cref="PrefetchConcurrency"/> threads of this store
    /// read them, started on demand and ended when idle (store reads block, and the thread pool would
    /// grow too slowly to overlap them). A scan then waits for about one round trip per
    /// <see cref="PrefetchConcurrency"/> nodes, not one per node.
    /// </summary>
    public void Prefetch(NodeAddress[] addresses, int from, int count)
    {
        if (Store.AppendsInPlace) return;
        for (int i = from; i < from + count; i++)
        {
            var address = addresses[i];
            if (!address.IsStored || Cache.TryGet(address, out _) || _loading.ContainsKey(address)) continue;
            var started = new TaskCompletionSource<Node<IndexDatom>>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_loading.TryAdd(address, started.Task)) continue;
            _prefetchQueue.Add((address, started));
            EnsurePrefetcher();
        }
    }

    /// <summary>Starts one more prefetching thread unless <see cref="PrefetchConcurrency"/> are running.</summary>
    private void EnsurePrefetcher()
    {
        while (true)
        {
            int running = Volatile.Read(ref _prefetchers);
            if (running >= PrefetchConcurrency) return;
            if (Interlocked.CompareExchange(ref _prefetchers, running + 1, running) != running) continue;
            new Thread(Prefetcher) { IsBackground = true, Name = "hike-prefetch" }.Start();
            return;
        }
    }

    /// <summary>Reads queued nodes into the cache until none has come for a while.</summary>
    private void Prefetcher()
    {
        try
        {
            while (_prefetchQueue.TryTake(out var item, PrefetcherIdle))
            {
                var (address, started) = item;
                try
                {
                    var node = Read(address);
                    started.SetResult(Cache.Add(node, NodeWeight.Of(node, _values)));
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
                finally
                {
                    _loading.TryRemove(address, out _);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _prefetchers);
            // Work queued while this thread was giving up still gets a reader.
            if (_prefetchQueue.Count > 0) EnsurePrefetcher();
        }
    }

    /// <summary>Reads a node from its pack, bypassing the cache (the values it refers to load through it).</summary>
    public Node<IndexDatom> Read(NodeAddress address)
    {
        var node = NodeCodec.Decode(ReadObject(address), Packs.Describe(address), this);
        node.Address = address;
        return node;
    }

    /// <summary>The bytes of the object at <paramref name="address"/>; a missing pack or a short read is a <see cref="CorruptionException"/>.</summary>
    public byte[] ReadObject(NodeAddress address) =>
        ReadRange(address) ?? throw Errors.Corrupt(Packs.Describe(address), "its pack is missing from the store");

    /// <summary>The object at <paramref name="address"/>, or null when garbage collection removed it (its pack deleted or its bytes released).</summary>
    public byte[]? TryReadObject(NodeAddress address)
    {
        var bytes = ReadRange(address);
        return bytes is null || bytes.AsSpan().IndexOfAnyExcept((byte)0) < 0 ? null : bytes;
    }

    private byte[]? ReadRange(NodeAddress address)
    {
        var (pack, offset, length) = Packs.Locate(address);
        var bytes = Store.GetRange(Packs.Key(pack), offset, length);
        if (bytes is not null && bytes.Length != length) throw Errors.Corrupt(Packs.Describe(address), $"its pack ends after {bytes.Length} of its {length} bytes");
        return bytes;
    }

    /// <summary>
    /// Starts the pack of a commit; objects written until <see cref="ClosePack"/> go into it. In a
    /// store that cannot append in place every pack starts a segment of its own.
    /// </summary>
    public void OpenPack()
    {
        if (_segment == 0 || _segmentLength >= Packs.SegmentBytes || !Store.AppendsInPlace) StartSegment();
        _packStart = _segmentLength;
        _pack = new ByteSink(64 << 10);
        _pack.WriteBytes(stackalloc byte[Packs.HeaderSize]);
        _objects.Clear();
    }

    /// <summary>Seals the open pack, to be appended by <see cref="Persist"/>.</summary>
    public PendingPack ClosePack()
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        Packs.Seal(pack, _objects);
        _pack = null;
        _segmentLength = _packStart + pack.Length;
        _values.Sealed();
        return new PendingPack(_segment, _packStart, pack);
    }

    /// <summary>
    /// Drops the open pack after a failure to build it: what it holds never reaches the store, and the
    /// next pack reuses its place, so none of it may stay cached or registered.
    /// </summary>
    public void AbandonPack()
    {
        if (_pack is not { } pack) return;
        foreach (var (offset, length) in _objects) Cache.Remove(Packs.Address(_segment, offset, length));
        _values.Abandoned();
        _objects.Clear();
        pack.Dispose();
        _pack = null;
    }

    /// <summary>Appends a sealed pack to its segment (durable at the store's next sync) and releases its buffer. Packs are persisted in the order they were sealed.</summary>
    public void Persist(PendingPack pack)
    {
        long at = Store.Append(Packs.Key(pack.Segment), pack.Bytes);
        // Only this writer appends to its segment: a different offset means another writer, or a write the disk lost.
        if (at != pack.Offset) throw Errors.WriterConflict($"{Packs.Key(pack.Segment)} (appended at {at}, not {pack.Offset})");
        Persisted(pack, at);
    }

    /// <summary>
    /// In a store that cannot append in place, where a pack is a segment of its own: creates the pack's
    /// segment and then moves a head from <paramref name="expected"/> to <paramref name="head"/>, in
    /// one step where the store can (<see cref="IKeyValueStore.CreateThenCompareAndSet"/>), both durable
    /// when it returns true. False when the head moved, or the segment exists (only this writer makes
    /// segments: another writer made it); the pack is then not persisted.
    /// </summary>
    public bool PersistWithHead(PendingPack pack, string headKey, byte[]? expected, byte[] head)
    {
        if (Store.AppendsInPlace || pack.Offset != 0) throw new InvalidOperationException("Only a pack that is a segment of its own is created with its head");
        if (!Store.CreateThenCompareAndSet(Packs.Key(pack.Segment), pack.Bytes, headKey, expected, expected is null, head)) return false;
        Persisted(pack, 0);
        return true;
    }

    private void Persisted(PendingPack pack, long at)
    {
        PersistedLength = (pack.Segment, at + pack.Length);
        pack.Dispose();
        _values.Persisted();
    }

    /// <summary>Appends an enveloped object to the open pack; returns its address.</summary>
    public NodeAddress Append(ReadOnlySpan<byte> sealedObject)
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        int start = pack.Length;
        pack.WriteBytes(sealedObject);
        return Record(start, sealedObject.Length);
    }

    /// <summary>
    /// Starts an object written straight into the open pack: write its payload to the returned sink,
    /// passing this store as the <see cref="ILargeValueWriter"/> of its values, then call
    /// <see cref="EndObject"/>.
    /// </summary>
    public ByteSink BeginObject()
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        _objectStart = Envelope.BeginSeal(pack);
        _objectRefs = 0;
        return pack;
    }

    /// <summary>Frames the object begun by <see cref="BeginObject"/> as <paramref name="kind"/>; returns its address (a leaf's with <see cref="NodeAddress.HoldsValueRefs"/> when it has any).</summary>
    public NodeAddress EndObject(byte kind)
    {
        var pack = _pack ?? throw new InvalidOperationException("No pack is open");
        var address = Record(_objectStart, Envelope.EndSeal(pack, _objectStart, kind));
        return kind == Envelope.KindLeaf && _objectRefs > 0 ? address.WithValueRefs() : address;
    }

    private NodeAddress Record(int start, int length)
    {
        long offset = _packStart + start;
        _objects.Add((offset, length));
        return Packs.Address(_segment, offset, length);
    }

    /// <summary>
    /// Starts a new segment: one per writer session (so a crash's torn end is never followed by
    /// anything), whenever one has grown past <see cref="Packs.SegmentBytes"/>, and for every pack in a
    /// store that cannot append in place. Ids grow with time and strictly within this writer, and never
    /// reuse a key that exists: checked in the store for a session's first segment (and every one in a
    /// store that appends in place, where it costs no round trip); after that only this writer, which
    /// holds the writer lock, makes segments, and one that appended to a segment it did not start fails
    /// with <c>db/writer-conflict</c> (<see cref="Persist"/>).
    /// </summary>
    private void StartSegment()
    {
        bool first = _segment == 0;
        ulong id = Math.Max(_segment + 1, (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() << 16);
        if (first || Store.AppendsInPlace)
        {
            while (Store.GetRange(Packs.Key(id), 0, 0) is not null) id++;
        }
        _segment = id;
        _segmentLength = 0;
        _values.SegmentStarted(id);
    }

    /// <summary>
    /// Appends every node of <paramref name="node"/>'s subtree that has no address yet (children before
    /// parents) and returns the subtree's address. The written nodes go into the cache.
    /// </summary>
    public NodeAddress Write(Node<IndexDatom> node)
    {
        if (node.Address.IsStored) return node.Address;
        if (node is Branch<IndexDatom> branch)
        {
            for (int i = 0; i < branch.Len; i++)
            {
                if (branch.Children[i] is { Address.IsStored: false } child) Write(child);
            }
        }
        var sink = BeginObject();
        node.Address = EndObject(NodeCodec.WritePayload(sink, node, this));
        Cache.Add(node, NodeWeight.Of(node, _values));
        return node.Address;
    }
}
