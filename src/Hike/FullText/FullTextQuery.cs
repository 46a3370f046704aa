using System.Collections.Immutable;

namespace Hike.FullText;

/// <summary>
/// A full-text query in Hike's own small model, what <see cref="FullTextQueryParser"/> makes of
/// Lucene's classic syntax and <see cref="FullTextSearcher"/> evaluates: <see cref="FullTextTerm"/>,
/// <see cref="FullTextPhrase"/>, <see cref="FullTextPrefix"/> and <see cref="FullTextBoolean"/>.
/// Immutable; records compare by content.
/// </summary>
internal abstract record FullTextQuery;

/// <summary>Documents holding <paramref name="Term"/> (an analyzed term), scored by BM25.</summary>
internal sealed record FullTextTerm(string Term) : FullTextQuery;

/// <summary>
/// Documents holding the terms at the given relative positions (an exact phrase, slop 0; a gap is a
/// removed stop word), scored by BM25 with the phrase's frequency and the sum of its terms' idfs.
/// </summary>
internal sealed record FullTextPhrase(ImmutableArray<string> Terms, ImmutableArray<int> Positions) : FullTextQuery
{
    /// <inheritdoc/>
    public bool Equals(FullTextPhrase? other) =>
        other is not null && Terms.SequenceEqual(other.Terms) && Positions.SequenceEqual(other.Positions);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Terms.Length, Terms.IsEmpty ? null : Terms[0]);
}

/// <summary>Documents holding a term that starts with <paramref name="Prefix"/>; each scores 1 (Lucene's constant-score rewrite).</summary>
internal sealed record FullTextPrefix(string Prefix) : FullTextQuery;

/// <summary>
/// A combination of clauses as Lucene's <c>BooleanQuery</c>: every <see cref="FullTextOccur.Must"/>
/// clause must match, no <see cref="FullTextOccur.MustNot"/> clause may, and when there is no
/// <see cref="FullTextOccur.Must"/> clause at least one <see cref="FullTextOccur.Should"/> clause must.
/// The score is the sum of the matching clauses' scores (BM25's coord is 1). No clauses, or only
/// prohibited ones, match nothing.
/// </summary>
internal sealed record FullTextBoolean(ImmutableArray<FullTextClause> Clauses) : FullTextQuery
{
    /// <inheritdoc/>
    public bool Equals(FullTextBoolean? other) => other is not null && Clauses.SequenceEqual(other.Clauses);

    /// <inheritdoc/>
    public override int GetHashCode() => Clauses.Length;
}

/// <summary>One clause of a <see cref="FullTextBoolean"/>.</summary>
internal sealed record FullTextClause(FullTextOccur Occur, FullTextQuery Query);

/// <summary>How a clause takes part in a <see cref="FullTextBoolean"/>.</summary>
internal enum FullTextOccur
{
    /// <summary>Optional; adds to the score when it matches.</summary>
    Should,

    /// <summary>Required (<c>+term</c>, <c>AND</c>).</summary>
    Must,

    /// <summary>Prohibited (<c>-term</c>, <c>NOT</c>).</summary>
    MustNot,
}
