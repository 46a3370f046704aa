using System.Numerics;
using System.Runtime.CompilerServices;
using Hike.Index.Codec;
using Hike.Index.Tree;

namespace Hike.Index.Stored;

/// <summary>
/// Which value instances a store holds out of line (<see cref="LargeValues"/>), and where: filled when
/// the writer stores a value and when a node's reference is resolved, so that rewriting a node whose
/// datom holds the same instance writes the reference again rather than the value. Entries live as
/// long as their instances.
/// <para>
/// Garbage collection runs beside the writer, so the registry takes part in it: a reference the
/// writer hands out while a collection marks is marked too (<see cref="BeginCollection"/>), and when
/// marking ends (<see cref="EndMarking"/>) every entry naming an object about to be deleted is
/// dropped, and such objects are not registered again when a reader resolves them. So a reference
/// written into a new node always names an object the collection keeps.
/// </para>
/// Thread-safe: the writer, readers and a collection may call it at once.
/// </summary>
internal sealed class LargeValueRegistry
{
    private readonly ConditionalWeakTable<object, Entry> _entries = [];
    private readonly Lock _lock = new();

    // Values stored by the open pack, forgotten if it is abandoned (its addresses will be reused).
    private readonly List<object> _stored = [];

    // References handed out since the last pack reached the store: a collection's snapshot may fall
    // between a commit's preparation and its write, and then counts them as handed out during it.
    private readonly HashSet<NodeAddress> _reusedSincePersist = [];

    private HashSet<NodeAddress>? _reusedWhileMarking;
    private int _marking;
    private Boundary? _boundary;
    private (HashSet<NodeAddress> Live, Boundary Boundary)? _lastMarking;

    /// <summary>
    /// The address of <paramref name="value"/> when this instance is stored out of line and may be
    /// referred to (a reference to it is then counted as handed out).
    /// </summary>
    public bool TryReuse(object? value, out NodeAddress address)
    {
        address = default;
        // Only reference types (and a BigInteger's box) can be long; a boxed number never is.
        if (value is null || (value is ValueType && value is not BigInteger)) return false;
        if (!_entries.TryGetValue(value, out var entry)) return false;
        lock (_lock)
        {
            if (entry.Dropped) return false;
            _reusedSincePersist.Add(entry.Address);
            _reusedWhileMarking?.Add(entry.Address);
        }
        address = entry.Address;
        return true;
    }

    /// <summary>Whether <paramref name="value"/> (this instance) is stored out of line, for weighing the nodes that hold it.</summary>
    public bool Contains(object value) => _entries.TryGetValue(value, out var entry) && !entry.Dropped;

    /// <summary>Records that the open pack stores <paramref name="value"/> at <paramref name="address"/>.</summary>
    public void AddStored(object value, NodeAddress address)
    {
        lock (_lock)
        {
            _entries.AddOrUpdate(value, new Entry(address));
            _stored.Add(value);
        }
    }

    /// <summary>
    /// Records that <paramref name="value"/> was read from <paramref name="address"/>, unless the
    /// instance is known already or the last collection is deleting that object.
    /// </summary>
    public void AddRead(object value, NodeAddress address)
    {
        lock (_lock)
        {
            if (_lastMarking is { } last && !last.Live.Contains(address) && !last.Boundary.IsNew(address)) return;
            if (!_entries.TryGetValue(value, out var known) || known.Dropped) _entries.AddOrUpdate(value, new Entry(address));
        }
    }

    /// <summary>The open pack was sealed: what it stored stays registered.</summary>
    public void Sealed()
    {
        lock (_lock) _stored.Clear();
    }

    /// <summary>The open pack was abandoned: what it stored is not in the store.</summary>
    public void Abandoned()
    {
        lock (_lock)
        {
            foreach (var value in _stored)
            {
                if (_entries.TryGetValue(value, out var entry)) entry.Dropped = true;
                _entries.Remove(value);
            }
            _stored.Clear();
        }
    }

    /// <summary>A sealed pack reached the store.</summary>
    public void Persisted()
    {
        lock (_lock) _reusedSincePersist.Clear();
    }

    /// <summary>The writer started segment <paramref name="segment"/>: nothing in it existed when a collection began.</summary>
    public void SegmentStarted(ulong segment)
    {
        lock (_lock) _boundary?.Started.Add(segment);
    }

    /// <summary>
    /// A collection took its snapshot, when the writer's segment <paramref name="segment"/> was
    /// <paramref name="length"/> bytes long: from now until <see cref="EndMarking"/> every reference
    /// handed out is marked.
    /// </summary>
    public void BeginCollection(ulong segment, long length)
    {
        lock (_lock)
        {
            _boundary = new Boundary(segment, length);
            _reusedWhileMarking ??= [];
            _reusedWhileMarking.UnionWith(_reusedSincePersist);
            _marking++;
        }
    }

    /// <summary>
    /// A collection marked <paramref name="liveValues"/> as the value objects to keep: adds the
    /// references handed out meanwhile to them, and drops every entry naming an object it will delete.
    /// </summary>
    public void EndMarking(HashSet<NodeAddress> liveValues)
    {
        lock (_lock)
        {
            var boundary = _boundary ?? throw new InvalidOperationException("No collection began");
            liveValues.UnionWith(_reusedWhileMarking!);
            EndTracking();
            var dropped = new List<object>();
            foreach (var (value, entry) in (IEnumerable<KeyValuePair<object, Entry>>)_entries)
            {
                if (liveValues.Contains(entry.Address) || boundary.IsNew(entry.Address)) continue;
                entry.Dropped = true;
                dropped.Add(value);
            }
            foreach (var value in dropped) _entries.Remove(value);
            _lastMarking = (liveValues, boundary);
        }
    }

    /// <summary>A collection failed before it finished marking: it deletes nothing, so nothing changes but the tracking.</summary>
    public void AbandonMarking()
    {
        lock (_lock) EndTracking();
    }

    // Under the lock. Collections may overlap: references are tracked until the last one has marked.
    private void EndTracking()
    {
        if (--_marking == 0) _reusedWhileMarking = null;
    }

    private sealed class Entry(NodeAddress address)
    {
        public readonly NodeAddress Address = address;

        // Set (under the lock) when the entry is removed, for a writer that looked it up just before.
        public bool Dropped;
    }

    /// <summary>Where the store stood when a collection began: objects past it are never collected by it.</summary>
    private sealed class Boundary(ulong segment, long length)
    {
        public HashSet<ulong> Started { get; } = [];

        public bool IsNew(NodeAddress address)
        {
            var (pack, offset, _) = Packs.Locate(address);
            return (pack == segment && offset >= length) || Started.Contains(pack);
        }
    }
}
