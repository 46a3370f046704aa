namespace Hike.Api;

/// <summary>
/// One value a full-text search matched (<see cref="Database.Search(Edn.Keyword, string, int)"/>): the
/// entity that holds it, the value, the transaction that asserted it, and its BM25 score, as Lucene.Net
/// computes it (higher is better).
/// </summary>
public sealed record FullTextResult(long Entity, string Value, long Tx, double Score);
