namespace Hike.Query.Execution;

/// <summary>A collection of tuples used as a query source: patterns match tuples position by position.</summary>
internal sealed class CollectionSource : QuerySource
{
    public CollectionSource(object value, RowList tuples)
    {
        Value = value;
        Tuples = tuples;
    }

    public override object Value { get; }

    public RowList Tuples { get; }
}
