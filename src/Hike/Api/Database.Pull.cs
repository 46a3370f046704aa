using Hike.Db;
using Hike.Edn;
using Hike.Pull;

namespace Hike.Api;

public sealed partial class Database
{
    /// <summary>
    /// Pulls the attributes <paramref name="pattern"/> selects from entity <paramref name="eid"/>,
    /// as Datahike's <c>pull</c>: e.g. <c>db.Pull("[:name {:friend [:name]}]", 1)</c> →
    /// <c>{:name "Petr", :friend [{:name "David"}]}</c>.
    /// </summary>
    /// <param name="pattern">
    /// EDN text or a parsed pattern (<see cref="EdnVector"/>, or C# lists and dictionaries holding
    /// keywords): attribute names, <c>:db/id</c>, <c>*</c>, reverse refs <c>:_attr</c>, maps
    /// <c>{:attr pattern}</c>, recursion <c>{:attr ...}</c> / <c>{:attr n}</c>, options
    /// <c>[:attr :as x :limit n :default v]</c> or <c>(limit :attr n)</c> / <c>(default :attr v)</c>.
    /// Patterns given as text or as EDN values are compiled once and cached.
    /// </param>
    /// <param name="eid">An entity id, a lookup ref <c>[:attr value]</c> (also as EDN text) or an ident keyword.</param>
    /// <returns>
    /// The result map, or null when nothing in the pattern has a value (for example
    /// <c>[:name]</c> on an entity without <c>:name</c>). As in Datahike, <c>[*]</c> always shows
    /// <c>:db/id</c>, so it returns <c>{:db/id n}</c> even for an id that has no datoms.
    /// </returns>
    /// <remarks>
    /// Cardinality-many values and reverse refs come as vectors in index order, at most 1000 unless a
    /// <c>:limit</c> says otherwise; refs come as <c>{:db/id n}</c> (also refs to entities with a
    /// <c>:db/ident</c>); component refs are pulled whole, recursively. An entity met again while it is
    /// being expanded on the same path comes out as <c>{:db/id n}</c>, so cyclic data terminates.
    /// Every kind of database value works: the current one, <see cref="AsOf(long)"/>,
    /// <see cref="Since(long)"/>, <see cref="Filter"/>, and <see cref="History"/>, where — as in
    /// Datahike — pull reads every datom, assertions and retractions alike: a cardinality-many
    /// attribute lists the value of each datom (a value asserted and later retracted shows twice) and a
    /// cardinality-one attribute shows its first datom in index order, the smallest value it ever had.
    /// Cost: O(log n) per attribute read plus the size of the result. Thread-safe.
    /// </remarks>
    /// <exception cref="HikeException">
    /// <c>pull/syntax</c> for a malformed pattern; <c>entity-id/missing</c> when a lookup ref or ident
    /// matches nothing; <c>entity-id/syntax</c>, <c>lookup-ref/syntax</c> or <c>lookup-ref/unique</c>
    /// for a malformed entity reference.
    /// </exception>
    /// <param name="cancellationToken">Stops a long pull with <see cref="OperationCanceledException"/>.</param>
    public EdnMap? Pull(object pattern, object eid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var compiled = PullPatternCache.Get(pattern);
        return PullEvaluator.Pull(View, compiled, ResolvePullEid(eid), cancellationToken);
    }

    /// <summary>
    /// Pulls <paramref name="pattern"/> for each of <paramref name="eids"/> (see <see cref="Pull(object, object, CancellationToken)"/>),
    /// as Datahike's <c>pull-many</c>. Every reference is resolved before anything is pulled.
    /// </summary>
    /// <returns>One result per id, in order; null where nothing in the pattern has a value.</returns>
    /// <remarks>
    /// Datahike's <c>pull-many</c> drops the entities with nothing to show; Hike keeps a null in their
    /// place so results line up with <paramref name="eids"/>. O(log n) per attribute read plus the
    /// size of the results. Thread-safe.
    /// </remarks>
    /// <exception cref="HikeException">As <see cref="Pull(object, object, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IReadOnlyList<EdnMap?> PullMany(object pattern, IEnumerable<object?> eids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(eids);
        var compiled = PullPatternCache.Get(pattern);
        var ids = new List<long>();
        foreach (var eid in eids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ids.Add(ResolvePullEid(eid));
        }
        // DATAHIKE: pull-many drops entities whose result is empty; Hike keeps positions (null).
        return PullEvaluator.PullMany(View, compiled, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids), cancellationToken);
    }

    /// <summary>
    /// The entity <paramref name="eid"/> refers to, as Datahike's <c>entity</c>: a lazy, read-only map
    /// of its attributes (see <see cref="Api.Entity"/>). Creating one reads nothing. O(log n) for a
    /// lookup ref or ident, O(1) for an id.
    /// </summary>
    /// <param name="eid">
    /// An entity id, a lookup ref <c>[:attr value]</c>, an ident keyword, or any of them as EDN text.
    /// </param>
    /// <returns>
    /// The entity; null for null, for a lookup ref or ident that matches nothing, and for anything
    /// that is not an entity reference (a string that reads as a symbol, a UUID, ...), as in Datahike.
    /// An id with no datoms still gives an entity (with only <c>:db/id</c>), as in Datahike.
    /// </returns>
    /// <exception cref="HikeException">
    /// <c>lookup-ref/syntax</c> or <c>lookup-ref/unique</c> for a malformed lookup ref;
    /// <c>entity-id/syntax</c> for a negative or fractional id.
    /// </exception>
    public Entity? Entity(object? eid)
    {
        if (eid is string text) eid = EdnReader.Read(text);
        if (eid is null) return null;
        if (Numbers.IsNumber(eid) || eid is Keyword || ValueEquality.IsSequential(eid))
        {
            var id = View.Entid(eid);
            if (id is null) return null;
            if (id.Value < 0) throw Errors.EntityIdSyntax(eid);
            return new Entity(this, id.Value);
        }
        return null;
    }

    private long ResolvePullEid(object? eid)
    {
        if (eid is string text) eid = EdnReader.Read(text);
        long id = View.EntidStrict(eid);
        if (id < 0) throw Errors.EntityIdSyntax(eid);
        return id;
    }
}
