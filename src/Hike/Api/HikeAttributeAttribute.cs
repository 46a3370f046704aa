using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Names the database attribute a property (or a record's constructor parameter) stands for, where
/// the default mapping does not give it: <c>[HikeAttribute(":person/first-name")] string FirstName</c>.
/// Without it, a transaction writes property <c>FirstName</c> as <c>:first-name</c>, and typed reads
/// (<see cref="Database.Pull{T}(object, object, CancellationToken)"/>, <see cref="Database.Q{T}(object)"/>) fill it from a key
/// whose name without namespace is <c>first-name</c> (or <c>firstName</c>, <c>FIRSTNAME</c>: case and
/// dashes are ignored). For a positional record put it on the property: <c>[property: HikeAttribute(":person/name")]</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class HikeAttributeAttribute : Attribute
{
    /// <summary>Names the attribute, with or without its leading colon: <c>":person/first-name"</c>.</summary>
    public HikeAttributeAttribute(string attribute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(attribute);
        Attribute = Keyword.Intern(attribute);
    }

    /// <summary>The attribute.</summary>
    public Keyword Attribute { get; }
}
