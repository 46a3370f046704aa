namespace Hike.Edn;

/// <summary>
/// An immutable EDN collection that remembers its <see cref="ValueEquality"/> hash once computed, so
/// a collection nested in others is hashed once, and a value of any depth is hashed bottom-up
/// without recursion.
/// </summary>
internal interface IHashCached
{
    /// <summary>The hash, once computed; 0 before. A computed hash is stored as <c>1L &lt;&lt; 32 | (uint)hash</c>.</summary>
    long CachedHash { get; set; }
}
