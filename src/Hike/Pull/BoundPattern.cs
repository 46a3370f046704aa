using Hike.Db;

namespace Hike.Pull;

/// <summary>
/// A <see cref="PullPattern"/> resolved against one schema. Built by <see cref="PullPattern.Bind"/>
/// and cached there; immutable.
/// </summary>
internal sealed class BoundPattern
{
    private readonly Dictionary<int, BoundAttr>? _forwardById;

    public BoundPattern(PullPattern pattern, Schema schema)
    {
        Pattern = pattern;
        Schema = schema;
        Wildcard = pattern.Wildcard;
        var attrs = new BoundAttr[pattern.Attrs.Count];
        for (int i = 0; i < attrs.Length; i++)
        {
            var bound = new BoundAttr(pattern.Attrs[i], this, schema);
            attrs[i] = bound;
            if (Wildcard && bound.Kind == BoundAttrKind.Forward)
            {
                (_forwardById ??= []).TryAdd(bound.AttrId, bound);
                HasForwardDefaults |= bound.HasDefault;
            }
        }
        Attrs = attrs;
        int forward = 0;
        foreach (var a in attrs)
        {
            if (a.Kind == BoundAttrKind.Forward) forward++;
        }
        ReadsWholeEntity = !Wildcard && forward >= 2;
        KeysDistinct = !Wildcard && attrs.Select(a => a.Key).Distinct(Edn.ValueEquality.Instance).Count() == attrs.Length;
    }

    /// <summary>True when no two specs can produce the same key, so result maps need no duplicate check.</summary>
    public bool KeysDistinct { get; }

    /// <summary>
    /// True when the pattern reads several attributes of each entity: one seek for all the entity's
    /// datoms is then cheaper than one per attribute.
    /// </summary>
    public bool ReadsWholeEntity { get; }

    public PullPattern Pattern { get; }

    public Schema Schema { get; }

    public bool Wildcard { get; }

    public BoundAttr[] Attrs { get; }

    /// <summary>True for a wildcard pattern with a forward spec that has a default.</summary>
    public bool HasForwardDefaults { get; }

    /// <summary>The explicit forward spec for attribute <paramref name="attrId"/> of a wildcard pattern, or null.</summary>
    public BoundAttr? ForwardSpec(int attrId) =>
        _forwardById is not null && _forwardById.TryGetValue(attrId, out var spec) ? spec : null;
}
