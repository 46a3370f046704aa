using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Which of a store's options are credentials: the keys konserve's backends and Datahike's configs
/// use for secrets (<c>:secret</c>, <c>:password</c>, <c>:access-key</c>, ...), and the user info of
/// any URI (<c>redis://user:pass@host</c>). They are never printed, never put in a message and never
/// stored with a database.
/// </summary>
internal static class StoreCredentials
{
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal)
    {
        "secret", "password", "access-key", "secret-key", "access-key-id", "secret-access-key", "session-token", "token", "pass",
    };

    /// <summary>True when the value under <paramref name="key"/> is a credential.</summary>
    public static bool IsCredential(object? key) => key is Keyword k && Keys.Contains(k.Name);

    /// <summary><paramref name="options"/> without its credentials; nested maps too, and URIs without their user info.</summary>
    public static EdnMap Without(EdnMap options)
    {
        if (options.Count == 0) return options;
        var kept = new List<KeyValuePair<object?, object?>>(options.Count);
        foreach (var (key, value) in options)
        {
            if (IsCredential(key)) continue;
            kept.Add(new(key, value switch
            {
                EdnMap nested => Without(nested),
                string text => WithoutUserInfo(text),
                _ => value,
            }));
        }
        return EdnMap.Create(kept);
    }

    /// <summary><paramref name="text"/>, or when it is a URI with user info, the URI without it.</summary>
    public static string WithoutUserInfo(string text)
    {
        if (!text.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0) return text;
        return new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString();
    }
}
