using Hike.Index.Datoms;


namespace Hike.Db;

/// <summary>Receives the datoms of a <see cref="DbView.Scan{TSink}"/>; a struct, so each scan is specialised and inlined.</summary>
internal interface IDatomSink
{
    /// <summary>Takes one datom; returns false to end the scan early.</summary>
    bool Accept(in IndexDatom d);
}
