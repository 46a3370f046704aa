using System.Reflection;
using System.Text;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Between CLR member names and attribute names: <c>FirstName</c> is written as <c>:first-name</c>, and
/// read from any key whose name (namespace dropped) is <c>first-name</c> up to case and dashes;
/// <see cref="HikeAttributeAttribute"/> names the attribute outright.
/// </summary>
internal static class MemberNames
{
    /// <summary>The attribute <paramref name="member"/> is written as: its <see cref="HikeAttributeAttribute"/>, else its name in kebab case.</summary>
    public static Keyword AttributeOf(MemberInfo member) =>
        member.GetCustomAttribute<HikeAttributeAttribute>()?.Attribute ?? Keyword.Intern(KebabCase(member.Name));

    /// <summary>The attribute named on <paramref name="member"/>, if any.</summary>
    public static Keyword? ExplicitAttribute(ICustomAttributeProvider member) =>
        member.GetCustomAttributes(typeof(HikeAttributeAttribute), inherit: false) is [HikeAttributeAttribute a, ..] ? a.Attribute : null;

    /// <summary><c>FirstName</c> → <c>first-name</c>, <c>HTTPCode</c> → <c>http-code</c>, <c>Age2</c> → <c>age2</c>.</summary>
    public static string KebabCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1])
                    || (char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1])));
                if (boundary && sb.Length > 0 && sb[^1] != '-') sb.Append('-');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c == '_' ? '-' : c);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The form a key and a member name are compared in: the key's name without namespace or colon,
    /// lower case, without dashes or underscores that join words (a leading underscore, as in a
    /// reverse attribute <c>:_friend</c>, stays).
    /// </summary>
    public static string Comparable(string name)
    {
        int slash = name.IndexOf('/');
        if (slash >= 0 && slash < name.Length - 1) name = name[(slash + 1)..];
        if (name.StartsWith(':')) name = name[1..];
        var sb = new StringBuilder(name.Length);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if ((c == '-' || c == '_') && i > 0) continue;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>The comparable name of a map key (keyword, string or symbol), or null for another kind of key.</summary>
    public static string? ComparableKey(object? key) => key switch
    {
        Keyword k => Comparable(k.Name),
        Symbol s => Comparable(s.Name),
        string s => Comparable(s),
        _ => null,
    };
}
