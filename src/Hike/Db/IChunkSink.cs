using Hike.Index.Datoms;


namespace Hike.Db;

/// <summary>
/// Receives the datoms of a <see cref="DbView.ScanChunks{TSink}"/> a run at a time, as a window on
/// an array, so a reader can binary-search and skip within it.
/// </summary>
internal interface IChunkSink
{
    /// <summary>Takes <paramref name="keys"/>[<paramref name="start"/>..<paramref name="end"/>); returns false to end the scan early.</summary>
    bool Accept(IndexDatom[] keys, int start, int end);
}
