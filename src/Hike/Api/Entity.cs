using System.Collections;
using System.Text;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Api;

/// <summary>
/// A lazy, read-only map view of one entity in one database value, as Datahike's entity: attributes
/// are read on first access and cached. A cardinality-one attribute gives its value, a
/// cardinality-many one an <see cref="EdnSet"/> of values; a ref attribute gives an
/// <see cref="Entity"/> (or a set of them), and a reverse attribute such as <c>:_friend</c> the set of
/// entities referring to this one (a single entity through a component attribute). Missing
/// attributes read as null. Get one from <see cref="Database.Entity"/>.
/// </summary>
/// <remarks>
/// As in Datahike, <c>:db/id</c> is readable (<see cref="Id"/>) but not among <see cref="Keys"/>,
/// and enumerating the entity (<see cref="Keys"/>, <see cref="Values"/>, <see cref="Count"/>,
/// <c>foreach</c>) first loads every attribute (<see cref="Touch"/>). Reverse attributes are read
/// each time, never cached. Two entities are equal when they have the same id and come from the
/// same database value. On a <see cref="Database.History"/> view an entity reads every datom,
/// assertions and retractions alike, as in Datahike: a cardinality-many attribute gives every value
/// it ever had, a cardinality-one attribute its first datom in index order (the smallest value it
/// ever had). Thread-safe.
/// </remarks>
public sealed class Entity : IReadOnlyDictionary<Keyword, object?>, IEquatable<Entity>, IEdnPrintable
{
    private static readonly Keyword DbIdKey = Keyword.Intern("db/id");

    /// <summary>The entity's datoms and, per attribute group, its value once read; set once, then shared.</summary>
    private EntityData? _data;

    internal Entity(Database db, long id)
    {
        Db = db;
        Id = id;
    }

    /// <summary>The database value this entity reads (Datahike's <c>entity-db</c>).</summary>
    public Database Db { get; }

    /// <summary>The entity id (<c>:db/id</c>).</summary>
    public long Id { get; }

    /// <summary>
    /// The attributes loaded so far (all of them after <see cref="Touch"/>), without <c>:db/id</c>.
    /// Enumerating first touches the entity. O(attributes).
    /// </summary>
    public IEnumerable<Keyword> Keys
    {
        get
        {
            Touch();
            return [.. Loaded().Select(kv => kv.Key)];
        }
    }

    /// <summary>The attribute values, in the order of <see cref="Keys"/>. Touches the entity.</summary>
    public IEnumerable<object?> Values
    {
        get
        {
            Touch();
            return [.. Loaded().Select(kv => kv.Value)];
        }
    }

    /// <summary>The number of attributes the entity has (not counting <c>:db/id</c>). Touches the entity.</summary>
    public int Count
    {
        get
        {
            Touch();
            return Loaded().Count;
        }
    }

    /// <summary>The value of <paramref name="attribute"/>, or null (see <see cref="Get"/>).</summary>
    public object? this[Keyword attribute] => Get(attribute);

    /// <summary>
    /// The value of the attribute named <paramref name="attribute"/>, with or without the colon:
    /// <c>e[":name"]</c>, <c>e["name"]</c>, <c>e[":_friend"]</c>; null when it has none.
    /// </summary>
    public object? this[string attribute]
    {
        get
        {
            ArgumentException.ThrowIfNullOrEmpty(attribute);
            return Get(Keyword.Intern(attribute));
        }
    }

    /// <summary>As the dictionary contract requires, throws <see cref="KeyNotFoundException"/> when the attribute has no value.</summary>
    object? IReadOnlyDictionary<Keyword, object?>.this[Keyword key] =>
        Get(key) ?? throw new KeyNotFoundException($"Entity {Id} has no value for {key}.");

    /// <summary>
    /// The value of <paramref name="attribute"/>: the id for <c>:db/id</c>; for a cardinality-one
    /// attribute its value (an <see cref="Entity"/> for a ref); for a cardinality-many attribute an
    /// <see cref="EdnSet"/> of values (of entities for a ref); for a reverse attribute <c>:_attr</c>
    /// the set of entities referring here through <c>:attr</c>, or the single owner when <c>:attr</c> is
    /// a component. Null when there is no value. O(log n) on first access, O(1) once cached.
    /// </summary>
    public object? Get(Keyword attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (ReferenceEquals(attribute, DbIdKey)) return Id;
        if (IsReverse(attribute)) return LookupBackwards(attribute);
        if (!Db.View.Schema.TryGet(attribute, out var attr)) return null;
        var data = Data();
        var datoms = data.Datoms;
        int start = 0;
        while (start < datoms.Length && datoms[start].A < attr.Id) start++;
        if (start == datoms.Length || datoms[start].A != attr.Id) return null;
        return ValueAt(data, attr, start);
    }

    /// <summary>True when <paramref name="key"/> has a value (always for <c>:db/id</c>).</summary>
    public bool ContainsKey(Keyword key) => Get(key) is not null;

    /// <summary>Reads <paramref name="key"/>; false when it has no value.</summary>
    public bool TryGetValue(Keyword key, out object? value)
    {
        value = Get(key);
        return value is not null;
    }

    /// <summary>
    /// Loads every attribute at once and touches component entities recursively, as Datahike's
    /// <c>touch</c>; returns this entity. O(datoms of the entity and its components).
    /// </summary>
    public Entity Touch()
    {
        TouchCore([]);
        return this;
    }

    /// <summary>The attributes and their values; touches the entity. <c>:db/id</c> is not included.</summary>
    public IEnumerator<KeyValuePair<Keyword, object?>> GetEnumerator()
    {
        Touch();
        var entries = Loaded();
        return ((IEnumerable<KeyValuePair<Keyword, object?>>)entries).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Equal when both have the same id and read the same database value.</summary>
    public bool Equals(Entity? other) => other is not null && Id == other.Id && SameDatabase(Db, other.Db);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Entity other && Equals(other);

    /// <summary>Hashes the id only, as Datahike.</summary>
    public override int GetHashCode() => Id.GetHashCode();

    /// <summary>
    /// The entity as Datahike prints it: the attributes loaded so far and <c>:db/id</c>, e.g.
    /// <c>{:db/id 1}</c> before any read and <c>{:name "Ivan", :db/id 1}</c> after reading <c>:name</c>.
    /// Nested entities print the same way; one already being printed prints as <c>{:db/id n}</c>.
    /// </summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Print(sb, this, new HashSet<Entity>(ReferenceEqualityComparer.Instance));
        return sb.ToString();
    }

    void IEdnPrintable.PrintEdn(StringBuilder sb) => Print(sb, this, new HashSet<Entity>(ReferenceEqualityComparer.Instance));

    private static bool IsReverse(Keyword attribute) => attribute.Name.Length > 1 && attribute.Name[0] == '_';

    private static bool SameDatabase(Database a, Database b)
    {
        if (ReferenceEquals(a, b)) return true;
        DbView x = a.View, y = b.View;
        return ReferenceEquals(x.State, y.State) && x.IsHistory == y.IsHistory && x.AsOfTx == y.AsOfTx
            && x.SinceTx == y.SinceTx && ReferenceEquals(x.Filter, y.Filter);
    }

    private object? LookupBackwards(Keyword reverse)
    {
        var view = Db.View;
        var forward = Keyword.Intern(reverse.Namespace, reverse.Name[1..]);
        if (!view.Schema.TryGet(forward, out var attr) || !attr.IsRef) return null;
        List<object?>? owners = null;
        foreach (var d in view.ReverseRefDatoms(Id, attr.Id))
        {
            if (attr.IsComponent) return new Entity(Db, d.E);
            (owners ??= []).Add(new Entity(Db, d.E));
        }
        return owners is null ? null : EdnSet.Create(owners);
    }

    /// <summary>
    /// All of the entity's datoms, read with one seek on first access: entities are usually read
    /// several attributes at a time, and one seek is cheaper than one per attribute.
    /// </summary>
    private EntityData Data()
    {
        if (_data is { } data) return data;
        var datoms = Db.View.EntityArray(Id);
        // Readers racing here build equal data; all of them go on with the first one published.
        return Interlocked.CompareExchange(ref _data, new EntityData(datoms), null) ?? _data;
    }

    /// <summary>The value of the attribute group starting at <paramref name="start"/>, computed once; racing readers keep the first.</summary>
    private object ValueAt(EntityData data, DbAttribute attr, int start)
    {
        if (Volatile.Read(ref data.Values[start]) is { } cached) return cached;
        var datoms = data.Datoms.AsSpan();
        int end = start;
        while (end < datoms.Length && datoms[end].A == attr.Id) end++;
        var value = AttributeValue(attr, datoms, start, end)!;
        return Interlocked.CompareExchange(ref data.Values[start], value, null) ?? value;
    }

    /// <summary>The attributes read so far with their values, in attribute order.</summary>
    private List<KeyValuePair<Keyword, object?>> Loaded()
    {
        var entries = new List<KeyValuePair<Keyword, object?>>();
        if (_data is not { } data) return entries;
        var schema = Db.View.Schema;
        for (int i = 0; i < data.Datoms.Length; i++)
        {
            if (Volatile.Read(ref data.Values[i]) is { } value) entries.Add(new(schema[data.Datoms[i].A].Ident, value));
        }
        return entries;
    }

    private object? AttributeValue(DbAttribute attr, ReadOnlySpan<IndexDatom> datoms, int start, int end)
    {
        if (!attr.Many) return attr.IsRef ? new Entity(Db, ToId(datoms[start].V)) : datoms[start].V;
        // The index holds each value of an attribute once, so the set needs no deduplication.
        var values = new object?[end - start];
        for (int i = start; i < end; i++) values[i - start] = attr.IsRef ? new Entity(Db, ToId(datoms[i].V)) : datoms[i].V;
        return Db.View.IsHistory ? EdnSet.Create(values) : EdnSet.FromDistinct(values);
    }

    private static long ToId(object v) => v is long l ? l : Numbers.ToLongUnchecked(v);

    private void TouchCore(HashSet<long> visiting)
    {
        if (!visiting.Add(Id)) return;
        var data = Data();
        var datoms = data.Datoms;
        var schema = Db.View.Schema;
        for (int start = 0; start < datoms.Length;)
        {
            var attr = schema[datoms[start].A];
            var value = ValueAt(data, attr, start);
            while (start < datoms.Length && datoms[start].A == attr.Id) start++;
            if (!attr.IsComponent) continue;
            if (value is Entity component) component.TouchCore(visiting);
            else if (value is EdnSet set)
            {
                foreach (var item in set) (item as Entity)?.TouchCore(visiting);
            }
        }
    }

    private static void Print(StringBuilder sb, Entity entity, HashSet<Entity> printing)
    {
        if (!printing.Add(entity))
        {
            sb.Append("{:db/id ").Append(entity.Id).Append('}');
            return;
        }
        var entries = entity.Loaded();
        sb.Append('{');
        foreach (var (key, value) in entries)
        {
            EdnPrinter.Print(sb, key);
            sb.Append(' ');
            PrintValue(sb, value, printing);
            sb.Append(", ");
        }
        sb.Append(":db/id ").Append(entity.Id).Append('}');
        printing.Remove(entity);
    }

    private static void PrintValue(StringBuilder sb, object? value, HashSet<Entity> printing)
    {
        switch (value)
        {
            case Entity e:
                Print(sb, e, printing);
                return;
            case EdnSet set:
                sb.Append("#{");
                bool first = true;
                foreach (var item in set)
                {
                    if (!first) sb.Append(' ');
                    first = false;
                    PrintValue(sb, item, printing);
                }
                sb.Append('}');
                return;
            default:
                EdnPrinter.Print(sb, value);
                return;
        }
    }
}
