namespace Hike.Storage;

/// <summary>
/// The one record a networked store keeps its writer lease in, outside the keys the database sees
/// (under the reserved name <see cref="StoreKeys.LockFileName"/>). Replaced only atomically.
/// </summary>
internal interface ILeaseCell
{
    /// <summary>The record, or null when there is none.</summary>
    byte[]? Read();

    /// <summary>
    /// Replaces the record with <paramref name="value"/> (null: removes it) when it is
    /// <paramref name="expected"/> (null: absent); false, changing nothing, when it is not.
    /// </summary>
    bool CompareAndSet(byte[]? expected, byte[]? value);
}
