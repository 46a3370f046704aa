namespace Hike.Bench;

/// <summary>
/// One system of the full-text benchmark (<see cref="FullTextBench"/>): an index of WordNet glosses
/// that lives in a directory of its own, loaded in durable batches and then queried. Not thread-safe:
/// the harness calls one method at a time.
/// </summary>
internal interface IFullTextTarget : IDisposable
{
    /// <summary>The system's name in result lines: <c>lucene</c>, <c>fts5</c>, <c>hike</c>.</summary>
    string Name { get; }

    /// <summary>The system and its settings in words, for the run's header.</summary>
    string Describe();

    /// <summary>Creates an empty index in <paramref name="dir"/>, a fresh directory that the target alone uses.</summary>
    Task OpenAsync(string dir);

    /// <summary>Indexes <paramref name="glosses"/> and commits them durably, as one commit.</summary>
    Task IndexAsync(IReadOnlyList<WordNet.Gloss> glosses);

    /// <summary>
    /// Called once after the load: whatever the system does before it answers queries on the whole
    /// committed index (Lucene.Net: merge into one segment, commit, open a reader). Timed with the load.
    /// </summary>
    Task FinishLoadingAsync();

    /// <summary>
    /// The <paramref name="k"/> best answers to <paramref name="query"/>, best first. The query is in
    /// Lucene's classic syntax (<see cref="WordNet.Query.Text"/>); a system with another syntax translates it.
    /// </summary>
    IReadOnlyList<FullTextHit> Search(WordNet.Query query, int k);

    /// <summary>The bytes of every file in the target's directory.</summary>
    long BytesOnDisk();
}
