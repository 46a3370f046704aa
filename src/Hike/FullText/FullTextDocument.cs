namespace Hike.FullText;

/// <summary>
/// One document of a full-text index: one asserted value of a full-text attribute, i.e. the datom
/// <c>[Entity attribute Value Tx true]</c>. Scored on its own, as Lucene scores a document.
/// </summary>
internal readonly record struct FullTextDocument(long Entity, string Value, long Tx);
