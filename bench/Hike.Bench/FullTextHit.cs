namespace Hike.Bench;

/// <summary>One answer of a full-text query: the synset's id and the system's score (higher ranks first).</summary>
internal readonly record struct FullTextHit(string Id, double Score);
