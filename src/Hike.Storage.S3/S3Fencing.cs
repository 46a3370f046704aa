namespace Hike.Storage.S3;

/// <summary>How an <see cref="S3Store"/> keeps a second writer from overwriting the first.</summary>
internal enum S3Fencing
{
    /// <summary>
    /// The server honours conditional writes: a compare-and-set is a PUT with <c>If-None-Match: *</c>
    /// (create) or <c>If-Match: &lt;etag&gt;</c> (replace), and the writer lease is taken the same way.
    /// </summary>
    ConditionalWrites,

    /// <summary>
    /// <c>:fencing :none</c>, or the objects of a store whose heads live in a <c>:head-store</c>: a
    /// compare-and-set reads, compares and writes, atomic only among the stores of this process, and the
    /// writer lease is a plain PUT. Two processes writing at once can lose each other's commits.
    /// </summary>
    None,

    /// <summary>The server cannot compare-and-set and nothing else fences writers: reads work, every write is <c>storage/unfenced</c>.</summary>
    Refused,
}
