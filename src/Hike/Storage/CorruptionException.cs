namespace Hike.Storage;

/// <summary>
/// A stored object failed its checksum or could not be decoded: the store is damaged (a flipped bit,
/// a truncated file). <see cref="Key"/> names the object. Never returned as data.
/// </summary>
public sealed class CorruptionException : HikeException
{
    /// <summary>Creates the exception for the object under <paramref name="key"/>.</summary>
    public CorruptionException(string key, string reason)
        : base("storage/corrupt", $"Stored object {key} is corrupt: {reason}")
    {
        Key = key;
    }

    /// <summary>The key of the damaged object.</summary>
    public string Key { get; }
}
