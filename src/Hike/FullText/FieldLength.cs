namespace Hike.FullText;

/// <summary>
/// What analysis counted in one text: <see cref="Tokens"/>, every token (Lucene's contribution to the
/// field's total term frequency, from which the average length comes), and <see cref="NormLength"/>,
/// the tokens that advance the position (Lucene's length for the norm, overlaps discounted).
/// </summary>
internal readonly record struct FieldLength(int Tokens, int NormLength);
