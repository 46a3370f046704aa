using System.Collections;
using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Versioning;

/// <summary>
/// Plans git's three-way merge of database values: the changes their branch made since the common
/// ancestor, replayed on our branch as transaction data, with the attributes both branches changed
/// incompatibly reported as conflicts. Pure: reads the three values and builds the plan, transacts
/// nothing. The cost grows with the size of the two branches' changes (<see cref="DbDiff"/>
/// plus a few index lookups per changed attribute of an entity), not with the databases.
/// </summary>
/// <remarks>
/// Entity ids up to the ancestor's <see cref="DbState.MaxEid"/> name the same entity on every branch.
/// Above it each branch allocated its own, so their new entities become tempids (<c>"merge-&lt;id&gt;"</c>),
/// except one that shares a <c>:db.unique/identity</c> value with an entity our branch created: the two
/// are the same entity, and their attributes are merged as if both branches had made it from nothing.
/// </remarks>
internal static class ThreeWayMerge
{
    private const string TempidPrefix = "merge-";

    private static readonly HashSet<object> NoValues = new(ValueEquality.Instance);

    /// <summary>
    /// The plan that, transacted on <paramref name="ours"/>, adds to it the changes <paramref name="theirs"/>
    /// made since <paramref name="base"/>. All three must be current values of one database's lineage,
    /// <paramref name="base"/> their common ancestor. Without a <paramref name="strategy"/>, any conflict
    /// throws <see cref="MergeConflictException"/> listing them all; with one, each conflict is settled by
    /// it (on the calling thread, in the order the conflicts are found).
    /// </summary>
    public static MergePlan Plan(DbView @base, DbView ours, DbView theirs, MergeStrategy? strategy)
    {
        ArgumentNullException.ThrowIfNull(@base);
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        return new Planner(@base, ours, theirs, strategy).Run();
    }

    /// <summary>
    /// One merge. Entities are keyed in our id space; a new entity of theirs that matched none of ours
    /// is keyed by its negated id, so it can collide with none of ours.
    /// </summary>
    private sealed class Planner
    {
        private readonly DbView _base;
        private readonly DbView _ours;
        private readonly DbView _theirs;
        private readonly MergeStrategy? _strategy;
        private readonly long _baseMaxEid;
        private readonly Dictionary<long, long> _matchOfTheirs = [];
        private readonly Dictionary<long, long> _matchOfOurs = [];
        private readonly Dictionary<(long Entity, Keyword Attribute), Cell> _cells = [];
        private readonly Dictionary<long, bool> _existsInOurs = [];
        private readonly Dictionary<long, bool> _existsInTheirs = [];
        private readonly Dictionary<long, bool> _existsInBase = [];
        private readonly List<MergeConflict> _conflicts = [];

        public Planner(DbView @base, DbView ours, DbView theirs, MergeStrategy? strategy)
        {
            _base = @base;
            _ours = ours;
            _theirs = theirs;
            _strategy = strategy;
            _baseMaxEid = @base.State.MaxEid;
        }

        /// <summary>Diffs both branches against the ancestor, decides every changed attribute of an entity, then builds the plan.</summary>
        public MergePlan Run()
        {
            var (oursRemoved, oursAdded) = DbDiff.Run(_base, _ours);
            var (theirsRemoved, theirsAdded) = DbDiff.Run(_base, _theirs);
            MatchNewEntities(theirsAdded);
            // Each side numbers attributes with its own schema; a removed datom, with the ancestor's.
            foreach (var d in oursRemoved) Touch(d.E, Ident(_base, d));
            foreach (var d in oursAdded) Touch(d.E, Ident(_ours, d));
            foreach (var d in theirsRemoved) Touch(d.E, Ident(_base, d), theirs: true);
            foreach (var d in theirsAdded) Touch(d.E, Ident(_theirs, d), theirs: true);
            var cells = Sorted(_cells.Values);
            foreach (var cell in cells) Decide(cell);
            // Claims are judged on the merged values, after the per-attribute decisions: their change
            // that took a value away from our holder settles the claim it would otherwise be.
            foreach (var cell in cells) CheckClaims(cell);
            var conflicts = _conflicts.OrderBy(c => c.Entity).ThenBy(c => c.Attribute).ToList();
            if (_strategy is null && conflicts.Count > 0) throw Errors.MergeConflict(conflicts);
            var (schemaTx, dataTx) = Emit(Sorted(_cells.Values));
            return new MergePlan(schemaTx, dataTx, conflicts);
        }

        /// <summary>
        /// Pairs each new entity of theirs with the new entity of ours that holds one of its
        /// <c>:db.unique/identity</c> values: a transaction would upsert one into the other. Only new
        /// entities pair; a value their new entity shares with one of our old entities is a claim.
        /// </summary>
        private void MatchNewEntities(List<IndexDatom> theirsAdded)
        {
            foreach (var d in theirsAdded)
            {
                if (!IsNew(d.E) || _matchOfTheirs.ContainsKey(d.E)) continue;
                var a = Ident(_theirs, d);
                if (Attribute(a) is not { IsUniqueIdentity: true, IsComposite: false } attribute) continue;
                // A ref to another new entity of theirs has no id of ours yet to look up.
                if (attribute.IsRef && d.V is long target && IsNew(target)) continue;
                if (HolderInOurs(a, d.V) is { } held && IsNew(held) && !_matchOfOurs.ContainsKey(held))
                {
                    _matchOfTheirs[d.E] = held;
                    _matchOfOurs[held] = d.E;
                }
            }
        }

        private void Touch(long e, Keyword a, bool theirs = false)
        {
            // Transactions are each branch's own (the merge makes its own); composite tuples are
            // computed by the transaction from their sources.
            if (e >= Ids.Tx0 || Attribute(a) is not { IsComposite: false } attribute) return;
            long key = theirs ? KeyOfTheirs(e) : e;
            if (!_cells.ContainsKey((key, a))) _cells[(key, a)] = Load(key, a, attribute);
        }

        private Cell Load(long key, Keyword a, DbAttribute attribute)
        {
            var cell = new Cell(key, a, attribute);
            cell.Base = key > 0 && key <= _baseMaxEid ? Read(_base, key, a, cell, theirs: false) : NoValues;
            cell.Ours = key > 0 ? Read(_ours, key, a, cell, theirs: false) : NoValues;
            // An entity of ours their branch never saw is, to them, unchanged since the ancestor.
            cell.Theirs = TheirId(key) is { } t ? Read(_theirs, t, a, cell, theirs: true) : cell.Base;
            cell.Merged = new(cell.Ours, ValueEquality.Instance);
            return cell;
        }

        private HashSet<object> Read(DbView db, long e, Keyword a, Cell cell, bool theirs)
        {
            var values = new HashSet<object>(ValueEquality.Instance);
            if (!db.Schema.TryGet(a, out var attribute)) return values;
            foreach (var d in db.EntityAttrDatoms(e, attribute.Id))
            {
                values.Add(theirs && cell.IsRef && d.V is long target ? KeyOfTheirs(target) : d.V);
            }
            return values;
        }

        private void Decide(Cell cell)
        {
            var (b, o, t) = (cell.Base, cell.Ours, cell.Theirs);
            if (o.SetEquals(t)) return;
            bool oursChanged = !o.SetEquals(b);
            bool theirsChanged = !t.SetEquals(b);
            if (IsShared(cell.Entity) && Exists(_existsInBase, _base, cell.Entity))
            {
                if ((oursChanged && !Exists(_existsInTheirs, _theirs, cell.Entity)) || (theirsChanged && !Exists(_existsInOurs, _ours, cell.Entity)))
                {
                    Conflict(cell, MergeConflictKind.RetractedAndChanged);
                    return;
                }
            }
            if (!theirsChanged) return;
            if (!oursChanged)
            {
                cell.Merged = new(t, ValueEquality.Instance);
                return;
            }
            if (cell.Many)
            {
                foreach (var v in b)
                {
                    if (!t.Contains(v)) cell.Merged.Remove(v);
                }
                foreach (var v in t)
                {
                    if (!b.Contains(v)) cell.Merged.Add(v);
                }
                return;
            }
            Conflict(cell, o.Count == 0 || t.Count == 0 ? MergeConflictKind.RetractedAndChanged : MergeConflictKind.ValueChanged);
        }

        /// <summary>
        /// Finds the unique values their branch gave <paramref name="cell"/>'s entity that another entity
        /// still holds once merged. Only the values our branch holds can collide: their branch is
        /// consistent in itself.
        /// </summary>
        private void CheckClaims(Cell cell)
        {
            if (!cell.Unique) return;
            foreach (var v in Sorted(cell.Merged))
            {
                if (!cell.Theirs.Contains(v) || cell.Base.Contains(v) || cell.Ours.Contains(v) || !cell.Merged.Contains(v)) continue;
                if (cell.IsRef && v is long target && target < 0) continue;
                if (HolderInOurs(cell.Attribute, v) is not { } h || h == cell.Entity) continue;
                if (_cells.TryGetValue((h, cell.Attribute), out var holderNow) && !holderNow.Merged.Contains(v)) continue;
                var resolution = Conflict(cell, MergeConflictKind.UniqueClaimed, h, settle: false);
                switch (resolution.Choice)
                {
                    case 0:
                        if (cell.Many) cell.Merged.Remove(v);
                        else cell.Merged = new(cell.Ours, ValueEquality.Instance);
                        break;
                    case 1:
                        if (!_cells.TryGetValue((h, cell.Attribute), out var holderCell))
                        {
                            _cells[(h, cell.Attribute)] = holderCell = Load(h, cell.Attribute, cell.Schema);
                        }
                        holderCell.Merged.Remove(v);
                        break;
                    default:
                        cell.Merged = FromUse(cell, resolution.Value);
                        break;
                }
            }
        }

        /// <summary>Records a conflict on <paramref name="cell"/> and, unless asked not to, settles it.</summary>
        private MergeResolution Conflict(Cell cell, MergeConflictKind kind, long? claimedBy = null, bool settle = true)
        {
            var conflict = new MergeConflict(kind, Reported(cell.Entity), cell.Attribute, Show(cell, cell.Base), Show(cell, cell.Ours), Show(cell, cell.Theirs))
            {
                ClaimedBy = claimedBy,
            };
            _conflicts.Add(conflict);
            // Without a strategy the merge throws before anything is built; keeping ours meanwhile lets
            // the claims found later be judged against what is certainly there.
            var resolution = _strategy is null
                ? MergeResolution.Ours
                : _strategy.Choose(conflict) ?? throw new InvalidOperationException($"The merge strategy gave no resolution for {kind} on {cell.Attribute} of entity {conflict.Entity}");
            if (settle)
            {
                cell.Merged = resolution.Choice switch
                {
                    0 => new(cell.Ours, ValueEquality.Instance),
                    1 => new(cell.Theirs, ValueEquality.Instance),
                    _ => FromUse(cell, resolution.Value),
                };
            }
            return resolution;
        }

        private static HashSet<object> FromUse(Cell cell, object? value)
        {
            var values = new HashSet<object>(ValueEquality.Instance);
            if (value is null) return values;
            if (cell.Many && value is IEnumerable items && value is not string && value is not byte[] && !Maps.IsMap(value))
            {
                foreach (var item in items)
                {
                    if (item is not null) values.Add(item);
                }
            }
            else
            {
                values.Add(value);
            }
            return values;
        }

        private (List<object?> SchemaTx, List<object?> DataTx) Emit(List<Cell> cells)
        {
            // A new entity of theirs that keeps no datom is not made: refs to it are dropped with it.
            var made = new HashSet<long>();
            foreach (var cell in cells)
            {
                if (cell.Entity < 0 && cell.Merged.Count > 0) made.Add(cell.Entity);
            }
            var schemaRetracts = new List<object?>();
            var schemaAdds = new List<object?>();
            var dataRetracts = new List<object?>();
            var dataAdds = new List<object?>();
            foreach (var cell in cells)
            {
                bool schema = cell.DefinesSchema && IsSchemaEntity(cell.Entity);
                // Retractions go before all assertions, so a unique value moving between entities is
                // free by the time it is asserted. Schema values of cardinality one are replaced by the
                // assertion itself: a schema entity is never left without its :db/valueType mid-transaction.
                foreach (var v in Sorted(cell.Ours))
                {
                    if (cell.Merged.Contains(v) || (schema && !cell.Many && cell.Merged.Count > 0)) continue;
                    (schema ? schemaRetracts : dataRetracts).Add(EdnVector.Create(Idents.DbRetract, cell.Entity, cell.Attribute, v));
                }
                foreach (var v in Sorted(cell.Merged))
                {
                    if (cell.Ours.Contains(v)) continue;
                    object value = v;
                    if (cell.IsRef && v is long target && target < 0)
                    {
                        if (!made.Contains(target)) continue;
                        value = EntityForm(target, schema);
                    }
                    (schema ? schemaAdds : dataAdds).Add(EdnVector.Create(Idents.DbAdd, EntityForm(cell.Entity, schema), cell.Attribute, value));
                }
            }
            schemaRetracts.AddRange(schemaAdds);
            dataRetracts.AddRange(dataAdds);
            return (schemaRetracts, dataRetracts);
        }

        /// <summary>
        /// How an operation of the schema or data transaction names entity <paramref name="key"/>. A new
        /// attribute of theirs is made in the schema transaction, so the data transaction names it by its
        /// ident: a tempid does not reach across transactions.
        /// </summary>
        private object EntityForm(long key, bool inSchemaTx)
        {
            if (key > 0) return key;
            if (!inSchemaTx && IsSchemaEntity(key) && _theirs.Schema.TryGetIdent(-key, out var ident)) return ident;
            return TempidPrefix + (-key).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        /// <summary>True for an entity that defines an attribute on some branch (a new one of theirs: on theirs).</summary>
        private bool IsSchemaEntity(long key)
        {
            if (key < 0) return _theirs.Schema.TryGetByEid(-key, out _);
            if (_ours.Schema.TryGetByEid(key, out _)) return true;
            if (_matchOfOurs.TryGetValue(key, out long t)) return _theirs.Schema.TryGetByEid(t, out _);
            return IsShared(key) && (_base.Schema.TryGetByEid(key, out _) || _theirs.Schema.TryGetByEid(key, out _));
        }

        /// <summary>The attribute as the merged database will know it: ours first, then a new one of theirs.</summary>
        private DbAttribute? Attribute(Keyword a) =>
            _ours.Schema.TryGet(a, out var x) ? x
            : _theirs.Schema.TryGet(a, out x) ? x
            : _base.Schema.TryGet(a, out x) ? x
            : null;

        /// <summary>
        /// The entity of ours holding unique <paramref name="a"/> = <paramref name="v"/> (a value as
        /// another branch stores it), or null. Callers ask only about an attribute unique on our side, which
        /// our AVET index therefore holds, or one our side does not know, which no entity of ours holds.
        /// </summary>
        private long? HolderInOurs(Keyword a, object v) =>
            _ours.Schema.TryGet(a, out var attribute) && _ours.StoredValue(attribute, v) is { } stored ? _ours.LookupUnique(attribute, stored) : null;

        private static Keyword Ident(DbView db, in IndexDatom d) => db.Schema[d.A].Ident;

        private bool IsNew(long e) => e > _baseMaxEid && e < Ids.Tx0;

        private bool IsShared(long key) => key > 0 && key <= _baseMaxEid;

        private long KeyOfTheirs(long e) =>
            !IsNew(e) ? e : _matchOfTheirs.TryGetValue(e, out long ours) ? ours : -e;

        /// <summary>The id <paramref name="key"/> has on their branch; null for an entity only ours made.</summary>
        private long? TheirId(long key) =>
            key < 0 ? -key
            : _matchOfOurs.TryGetValue(key, out long t) ? t
            : key <= _baseMaxEid ? key
            : null;

        /// <summary>An entity key as conflicts report it: our id, or their id for a new entity of theirs.</summary>
        private static long Reported(long key) => Math.Abs(key);

        private static bool Exists(Dictionary<long, bool> cache, DbView db, long e)
        {
            if (!cache.TryGetValue(e, out bool exists)) cache[e] = exists = db.HasDatoms(e);
            return exists;
        }

        private static object? Show(Cell cell, HashSet<object> values)
        {
            if (values.Count == 0) return null;
            var shown = Sorted(values).Select(v => cell.IsRef && v is long target ? Reported(target) : v);
            return cell.Many ? EdnSet.Create(shown) : shown.First();
        }

        private static List<object> Sorted(HashSet<object> values)
        {
            var list = new List<object>(values);
            list.Sort(ValueOrder.Instance);
            return list;
        }

        private static List<Cell> Sorted(IEnumerable<Cell> cells) =>
            [.. cells.OrderBy(c => Reported(c.Entity)).ThenBy(c => c.Entity < 0).ThenBy(c => c.Attribute)];
    }

    /// <summary>
    /// One attribute of one entity: its values at the ancestor, on each branch (their refs in our id
    /// space) and as merged.
    /// </summary>
    private sealed class Cell(long entity, Keyword attribute, DbAttribute schema)
    {
        public long Entity { get; } = entity;

        public Keyword Attribute { get; } = attribute;

        public DbAttribute Schema { get; } = schema;

        public bool Many => Schema.Many;

        public bool IsRef => Schema.IsRef;

        public bool Unique => Schema.Unique != Db.Unique.None;

        public bool DefinesSchema => SystemAttributes.DefinesSchema(Schema.Id);

        public HashSet<object> Base { get; set; } = NoValues;

        public HashSet<object> Ours { get; set; } = NoValues;

        public HashSet<object> Theirs { get; set; } = NoValues;

        public HashSet<object> Merged { get; set; } = NoValues;
    }
}
