namespace Hike.Api;

/// <summary>
/// A transaction function: given the database as the transaction has left it so far and the
/// arguments of the call, returns tx-data (a sequence of entity maps and operations) to transact in
/// its place. Called by <c>[:db.fn/call f args...]</c> or, when registered under a name, by
/// <c>[:my/fn args...]</c>.
/// </summary>
public delegate object? TxFunction(Database db, IReadOnlyList<object?> args);
