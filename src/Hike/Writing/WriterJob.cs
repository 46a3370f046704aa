namespace Hike.Writing;

/// <summary>Work queued for a database's writer: a transaction (<see cref="PendingTx"/>) or a branch change (<see cref="BranchJob"/>).</summary>
internal abstract class WriterJob
{
    /// <summary>Fails the job without running it.</summary>
    public abstract void Fail(Exception error);
}
