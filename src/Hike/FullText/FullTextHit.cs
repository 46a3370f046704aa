namespace Hike.FullText;

/// <summary>One matching document: where it is (segment index in the search's list, doc number), its entity, assert tx and BM25 score.</summary>
internal readonly record struct FullTextHit(int Segment, int Doc, long Entity, long Tx, float Score);
