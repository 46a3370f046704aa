namespace Hike.Storage.S3;

/// <summary>Where an <see cref="S3Store"/> keeps its objects and how it calls the server.</summary>
internal sealed record S3StoreSettings
{
    /// <summary>The value size past which a PUT is a multipart upload, and the size of its parts (S3's parts are at least 5 MiB).</summary>
    public const long DefaultMultipartThreshold = 16L << 20;

    /// <summary>The bucket.</summary>
    public required string Bucket { get; init; }

    /// <summary>The store's id, the first segment of every object's key: <c>&lt;id&gt;/&lt;key&gt;</c>.</summary>
    public required string Id { get; init; }

    /// <summary>The store as messages name it: bucket and prefix, never credentials.</summary>
    public required string Description { get; init; }

    /// <summary>Identifies the store in this process (endpoint, bucket and id): the stores of one key share one compare-and-set gate.</summary>
    public required string Key { get; init; }

    /// <summary>How writers are fenced.</summary>
    public required S3Fencing Fencing { get; init; }

    /// <summary>Values longer than this are uploaded in parts of this size.</summary>
    public long MultipartThreshold { get; init; } = DefaultMultipartThreshold;

    /// <summary>How many keys one listing request asks for (S3's most is 1000).</summary>
    public int ListPageSize { get; init; } = 1000;

    /// <summary>How long one call (with the SDK's retries) may take before it fails with an <see cref="IOException"/>.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the writer lease lasts without renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = WriterLease.DefaultDuration;

    /// <summary>The credentials' texts, cut out of any server message that would repeat them.</summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];
}
