namespace Hike.Edn;

/// <summary>
/// What keywords and symbols share: an optional namespace and a name, compared as Clojure does
/// (no namespace first, then namespace, then name, ordinally). Instances are interned by their
/// subclasses, so equality is identity.
/// </summary>
public abstract class EdnName
{
    private readonly int _hash;

    private protected EdnName(string fullName, int salt)
    {
        FullName = fullName;
        int slash = fullName.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < fullName.Length - 1)
        {
            Namespace = fullName[..slash];
            Name = fullName[(slash + 1)..];
        }
        else
        {
            Name = fullName;
        }
        _hash = StringComparer.Ordinal.GetHashCode(fullName) ^ salt;
    }

    /// <summary>The namespace part (before the first <c>/</c>), or <c>null</c>.</summary>
    public string? Namespace { get; }

    /// <summary>The name part.</summary>
    public string Name { get; }

    /// <summary>Namespace and name joined by <c>/</c>, without any leading colon.</summary>
    public string FullName { get; }

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    private protected int CompareNames(EdnName? other)
    {
        if (ReferenceEquals(this, other)) return 0;
        if (other is null) return 1;
        if (Namespace != other.Namespace)
        {
            if (Namespace is null) return -1;
            if (other.Namespace is null) return 1;
            int c = string.CompareOrdinal(Namespace, other.Namespace);
            if (c != 0) return c;
        }
        return string.CompareOrdinal(Name, other.Name);
    }
}
