using System.Collections.Concurrent;
using Hike.Db;
using Hike.Edn;
using Hike.Transactions;

namespace Hike.Api;

/// <summary>
/// The C# functions a database's transactions may call by name: transaction functions, attribute
/// predicates (<c>:db.attr/preds</c>) and entity predicates (<c>:db.entity/preds</c>). Functions are
/// code, so they are registered in each process rather than stored. Thread-safe.
/// </summary>
public sealed class FunctionRegistry : ITxCallbacks
{
    private readonly ConcurrentDictionary<Keyword, TxFunction> _txFunctions = new();
    private readonly ConcurrentDictionary<Symbol, Func<object, bool>> _attributePredicates = new();
    private readonly ConcurrentDictionary<Symbol, Func<Database, long, bool>> _entityPredicates = new();

    /// <summary>Registers <paramref name="function"/> as the transaction operation <paramref name="name"/>, e.g. <c>:inc-balance</c>.</summary>
    public FunctionRegistry RegisterTxFunction(Keyword name, TxFunction function)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(function);
        _txFunctions[name] = function;
        return this;
    }

    /// <summary>Registers a value predicate that <c>:db.attr/preds</c> can name.</summary>
    public FunctionRegistry RegisterAttributePredicate(Symbol name, Func<object, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(predicate);
        _attributePredicates[name] = predicate;
        return this;
    }

    /// <summary>Registers an entity predicate (database, entity id) that <c>:db.entity/preds</c> can name.</summary>
    public FunctionRegistry RegisterEntityPredicate(Symbol name, Func<Database, long, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(predicate);
        _entityPredicates[name] = predicate;
        return this;
    }

    bool ITxCallbacks.TryGetFunction(Keyword name, out object function)
    {
        bool found = _txFunctions.TryGetValue(name, out var f);
        function = f!;
        return found;
    }

    object? ITxCallbacks.InvokeFunction(object function, DbView db, IReadOnlyList<object?> args)
    {
        var database = new Database(db, this);
        return function switch
        {
            TxFunction tx => tx(database, args),
            Delegate d => d.DynamicInvoke([database, .. args]),
            _ => throw Errors.TxFunction($"{Errors.Show(function)} is not a function"),
        };
    }

    bool ITxCallbacks.CheckAttributePredicate(Symbol predicate, object value) =>
        _attributePredicates.TryGetValue(predicate, out var p)
            ? p(value)
            : throw Errors.AttrPred($"Attribute predicate {predicate} is not registered");

    bool ITxCallbacks.CheckEntityPredicate(Symbol predicate, DbView db, long eid) =>
        _entityPredicates.TryGetValue(predicate, out var p)
            ? p(new Database(db, this), eid)
            : throw Errors.Ensure($"Entity predicate {predicate} is not registered");
}
