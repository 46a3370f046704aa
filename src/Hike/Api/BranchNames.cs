using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Branch names and commit references as the public API takes them: a branch is a <see cref="Keyword"/>
/// or its text with or without the colon (<c>"feature"</c>, <c>":feature"</c>); a commit is a
/// <see cref="Guid"/> or its text.
/// </summary>
internal static class BranchNames
{
    /// <summary>The branch named <paramref name="name"/>, with or without its leading colon.</summary>
    public static Keyword Of(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Keyword.Intern(name);
    }

    /// <summary>
    /// <paramref name="reference"/> as the writer takes it: text becomes the commit id it spells or else
    /// the branch it names; a <see cref="Keyword"/> or <see cref="Guid"/> stays as it is.
    /// </summary>
    public static object Reference(object reference) => reference switch
    {
        string text when Guid.TryParse(text, out var id) => id,
        string text => Of(text),
        _ => reference,
    };

    /// <summary>Each of <paramref name="references"/> as <see cref="Reference"/> gives it.</summary>
    public static List<object> References(IEnumerable<object> references) => [.. references.Select(Reference)];
}
