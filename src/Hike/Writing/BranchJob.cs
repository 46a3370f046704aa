namespace Hike.Writing;

/// <summary>A change to the branches (create, delete, force, merge) run on the writer between commits; its task completes with the result.</summary>
internal sealed class BranchJob(Func<object?> run) : WriterJob
{
    private readonly TaskCompletionSource<object?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<object?> Task => _done.Task;

    /// <summary>Runs the change; what it throws goes to its task, and is returned for the writer to judge.</summary>
    public Exception? Run()
    {
        try
        {
            _done.TrySetResult(run());
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _done.TrySetException(e);
            return e;
        }
    }

    public override void Fail(Exception error) => _done.TrySetException(error);
}
