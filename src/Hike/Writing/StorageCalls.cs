namespace Hike.Writing;

/// <summary>
/// Runs a lifecycle operation on a store (create, connect, delete, recover) so that the operating
/// system's failures reach the caller as <c>storage/io</c> <see cref="HikeException"/>s naming what was
/// being done, not as raw BCL exceptions.
/// </summary>
internal static class StorageCalls
{
    public static T Run<T>(string what, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Errors.StorageIo(what, e);
        }
    }
}
