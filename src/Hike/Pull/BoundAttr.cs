using Hike.Db;

namespace Hike.Pull;

/// <summary>
/// A <see cref="PullAttrSpec"/> resolved against one schema: the attribute id and the cardinality,
/// ref and component flags the evaluator needs, so evaluation never looks keywords up. Immutable.
/// </summary>
internal sealed class BoundAttr
{
    public BoundAttr(PullAttrSpec spec, BoundPattern owner, Schema schema)
    {
        Spec = spec;
        Owner = owner;
        Key = spec.Key;
        Limit = spec.Limit;
        HasDefault = spec.HasDefault;
        Default = spec.Default;
        Recursive = spec.Recursive;
        RecursionLimit = spec.RecursionLimit;
        if (spec.IsDbId)
        {
            Kind = BoundAttrKind.DbId;
            return;
        }
        // Only refs have reverse values; Datahike would compare the entity id with whatever values the
        // attribute holds, which is meaningless.
        if (!schema.TryGet(spec.Attr, out var attribute) || (spec.Reverse && !attribute.IsRef))
        {
            Kind = BoundAttrKind.Missing;
            return;
        }
        Kind = spec.Reverse ? BoundAttrKind.Reverse : BoundAttrKind.Forward;
        AttrId = attribute.Id;
        IsRef = attribute.IsRef;
        IsComponent = attribute.IsComponent;
        // A reverse ref yields many entities, except through a component: a component has one owner.
        Many = spec.Reverse ? !attribute.IsComponent : attribute.Many;
        // A subpattern or recursion on a non-ref attribute has no entities to apply to: its values show as they are.
        Subpattern = IsRef ? spec.Subpattern?.Bind(schema) : null;
        if (!IsRef) Recursive = false;
    }

    public PullAttrSpec Spec { get; }

    /// <summary>The pattern this spec belongs to: the pattern recursion applies again.</summary>
    public BoundPattern Owner { get; }

    public BoundAttrKind Kind { get; }

    public int AttrId { get; }

    public object Key { get; }

    public int Limit { get; }

    public bool Many { get; }

    public bool IsRef { get; }

    public bool IsComponent { get; }

    public bool HasDefault { get; }

    public object? Default { get; }

    /// <summary>The bound subpattern for referenced entities; null for non-ref attributes.</summary>
    public BoundPattern? Subpattern { get; }

    public bool Recursive { get; }

    public int RecursionLimit { get; }
}
