namespace Hike.Db;

/// <summary>The parts of a database's configuration that change how the engine behaves.</summary>
internal sealed record DbOptions(bool KeepHistory, SchemaFlexibility SchemaFlexibility)
{
    public static readonly DbOptions Default = new(true, SchemaFlexibility.Write);
}
