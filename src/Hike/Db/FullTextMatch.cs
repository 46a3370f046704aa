namespace Hike.Db;

/// <summary>One value a full-text search matched: its entity, the value, the transaction that asserted it, and its BM25 score.</summary>
internal readonly record struct FullTextMatch(long Entity, string Value, long Tx, float Score);
