namespace Hike.Api;

/// <summary>
/// One value a full-text search matched (<see cref="Database.Search(Edn.Keyword, string, int, FullTextHighlight?)"/>):
/// the entity that holds it, the value, the transaction that asserted it, and its BM25 score, as
/// Lucene.Net computes it (higher is better).
/// </summary>
public sealed record FullTextResult(long Entity, string Value, long Tx, double Score)
{
    /// <summary>The value with the words the query matched marked, when the search asked for it; else null.</summary>
    public string? Highlighted { get; init; }
}

/// <summary>Asks a search to mark the words it matched in each value, between <paramref name="Before"/> and <paramref name="After"/>.</summary>
public sealed record FullTextHighlight(string Before = "<b>", string After = "</b>");
