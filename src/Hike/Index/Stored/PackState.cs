namespace Hike.Index.Stored;

/// <summary>What became of a pack on disk (<see cref="Packs.StateOf"/>).</summary>
internal enum PackState
{
    /// <summary>Every byte as written: its checksum holds.</summary>
    Whole,

    /// <summary>Missing, cut short, or with a sector never written: what a crash during its append leaves.</summary>
    Torn,

    /// <summary>All there, but not the bytes that were written.</summary>
    Damaged,
}
