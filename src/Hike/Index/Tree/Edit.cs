namespace Hike.Index.Tree;

/// <summary>
/// The ownership token of one transient: nodes carrying it were created by that transient and may be
/// changed in place by it, and only by it, until it is made persistent.
/// </summary>
internal sealed class Edit
{
    public bool Active { get; set; } = true;
}
