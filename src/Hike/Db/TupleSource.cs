namespace Hike.Db;

/// <summary>A composite tuple attribute and the position a source attribute fills in it.</summary>
internal readonly record struct TupleSource(int TupleAttrId, int Position);
