namespace Hike.Db;

/// <summary>
/// The work each kind of secondary index does on one transaction's data ahead of the writer
/// (<see cref="ISecondaryIndexKind.PlanAhead"/>): the submitting thread runs it once the transaction is
/// queued, the writer takes each kind's share when it updates that index, and releases it afterwards.
/// </summary>
internal sealed class TransactionAhead
{
    private readonly (ISecondaryIndexKind Kind, IAheadWork Work)[] _works;

    private TransactionAhead((ISecondaryIndexKind, IAheadWork)[] works) => _works = works;

    /// <summary>The work for <paramref name="txData"/> on <paramref name="schema"/>, or null when no kind has any.</summary>
    public static TransactionAhead? Plan(Schema? schema, object? txData)
    {
        List<(ISecondaryIndexKind, IAheadWork)>? works = null;
        foreach (var kind in SecondaryIndexes.Kinds)
        {
            IAheadWork? work;
            try
            {
                work = kind.PlanAhead(schema, txData);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Data the forecast cannot read is left to the writer, which says what is wrong with it.
                continue;
            }
            if (work is not null) (works ??= []).Add((kind, work));
        }
        return works is null ? null : new TransactionAhead([.. works]);
    }

    /// <summary>Does the work (the submitting thread, once the transaction is queued).</summary>
    public void Run()
    {
        foreach (var (_, work) in _works) work.Run();
    }

    /// <summary><paramref name="kind"/>'s work, or null.</summary>
    public IAheadWork? For(ISecondaryIndexKind kind)
    {
        foreach (var (k, work) in _works)
        {
            if (ReferenceEquals(k, kind)) return work;
        }
        return null;
    }

    /// <summary>Lets go of what the work holds, once the writer ran the transaction.</summary>
    public void Release()
    {
        foreach (var (_, work) in _works) work.Release();
    }
}
