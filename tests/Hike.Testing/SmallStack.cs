namespace Hike.Testing;

/// <summary>
/// Runs code on a thread with a small stack, so a test proves that deep input fails cleanly (or
/// succeeds) instead of overflowing the stack, which would kill the test process.
/// </summary>
public static class SmallStack
{
    /// <summary>The stack size of <see cref="Run{T}"/>'s thread: a quarter of a megabyte.</summary>
    public const int Bytes = 256 * 1024;

    /// <summary>Runs <paramref name="work"/> on a thread with a <see cref="Bytes"/> stack and returns its result, or rethrows what it threw.</summary>
    public static T Run<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception e)
            {
                error = e;
            }
        }, Bytes);
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result;
    }
}
