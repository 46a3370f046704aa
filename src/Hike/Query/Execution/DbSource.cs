using Hike.Db;

namespace Hike.Query.Execution;

/// <summary>A database value used as a query source: its view for reads, and the public value for functions.</summary>
internal sealed class DbSource : QuerySource
{
    public DbSource(DbView view, object value)
    {
        View = view;
        Value = value;
    }

    public DbView View { get; }

    public override object Value { get; }
}
