using Hike.Db;
using Hike.Edn;

namespace Hike.Transactions;

/// <summary>
/// What a transaction calls out to: transaction functions (passed in <c>:db.fn/call</c> or registered
/// by name) and the predicates of attribute and entity specs. The API layer implements it over the
/// user's registered delegates.
/// </summary>
internal interface ITxCallbacks
{
    /// <summary>The function registered under <paramref name="name"/> (a tx-data op such as <c>[:my/fn ...]</c>).</summary>
    bool TryGetFunction(Keyword name, out object function);

    /// <summary>Calls a transaction function; returns the tx-data it produces.</summary>
    object? InvokeFunction(object function, DbView db, IReadOnlyList<object?> args);

    /// <summary>Runs the attribute predicate <paramref name="predicate"/> on a value; true when it holds.</summary>
    bool CheckAttributePredicate(Symbol predicate, object value);

    /// <summary>Runs the entity predicate <paramref name="predicate"/> on entity <paramref name="eid"/> of <paramref name="db"/>.</summary>
    bool CheckEntityPredicate(Symbol predicate, DbView db, long eid);
}
