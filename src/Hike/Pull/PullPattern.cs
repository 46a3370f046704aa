using Hike.Db;

namespace Hike.Pull;

/// <summary>
/// A compiled pull pattern: whether it has a wildcard and its attribute specs, in the order written
/// (a later spec for the same attribute replaces an earlier one, as in Datahike). Independent of
/// any database, so one instance serves every pull with that pattern (and the query engine's
/// <c>(pull ?e [...])</c>); attribute keywords are resolved to ids once per schema by
/// <see cref="Bind"/>. Immutable and thread-safe.
/// </summary>
internal sealed class PullPattern
{
    /// <summary><c>[*]</c>: every attribute, as used for expanding component entities.</summary>
    public static readonly PullPattern WildcardOnly = new(true, []);

    private BoundPattern? _bound;

    public PullPattern(bool wildcard, PullAttrSpec[] attrs)
    {
        Wildcard = wildcard;
        Attrs = attrs;
    }

    /// <summary>True when the pattern contains <c>*</c>.</summary>
    public bool Wildcard { get; }

    /// <summary>The attribute specs, one per distinct attribute name.</summary>
    public IReadOnlyList<PullAttrSpec> Attrs { get; }

    /// <summary>
    /// Compiles a pattern given as EDN text or as a parsed value (an EDN or C# sequence). Malformed
    /// patterns throw <see cref="HikeException"/> with code <c>pull/syntax</c>.
    /// </summary>
    public static PullPattern Parse(object? pattern) => PullParser.Parse(pattern);

    /// <summary>
    /// The pattern with its attributes resolved against <paramref name="schema"/>. The last binding is
    /// cached, so repeated pulls over databases sharing a schema resolve nothing. O(pattern size) on a miss.
    /// </summary>
    public BoundPattern Bind(Schema schema)
    {
        var bound = _bound;
        if (bound is not null && ReferenceEquals(bound.Schema, schema)) return bound;
        bound = new BoundPattern(this, schema);
        _bound = bound;
        return bound;
    }
}
