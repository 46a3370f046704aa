using Hike.Db;
using Hike.Index.Datoms;

namespace Hike.Transactions;

/// <summary>What one transaction produced: the new state, the datoms it asserted and retracted, and the tempids it resolved.</summary>
internal sealed record TxResult(DbState After, IReadOnlyList<IndexDatom> TxData, IReadOnlyDictionary<object, long> TempIds, object? TxMeta);
