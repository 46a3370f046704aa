namespace Hike;

/// <summary>
/// Stored data failed its integrity check (bad checksum, truncated or unknown format). Never returned
/// as data: the read that meets it fails with this exception, which names the key it read.
/// </summary>
public sealed class CorruptionException : HikeException
{
    /// <summary>Creates a corruption report for the stored object under <paramref name="key"/>.</summary>
    public CorruptionException(string key, string message)
        : base(ErrorCodes.StorageCorrupt, $"Corrupt data under key '{key}': {message}")
    {
        Key = key;
    }

    /// <summary>The storage key of the object that failed its check.</summary>
    public string Key { get; }
}
