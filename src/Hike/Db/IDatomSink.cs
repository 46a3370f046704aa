using Hike.Index;

namespace Hike.Db;

/// <summary>Receives the datoms of a <see cref="DbView.Scan{TSink}"/>; a struct, so each scan is specialised and inlined.</summary>
internal interface IDatomSink
{
    void Accept(in Datom d);
}
