using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// A norm, Datahike's word for a migration: tx-data and an optional transaction function, applied to
/// a database once and marked there with <c>:tx/norm</c> <see cref="Id"/> by
/// <see cref="Norms.EnsureNormsAsync(Connection, string, CancellationToken)"/>. A norm file holds
/// <c>{:tx-data [...] :tx-fn my.ns/fn}</c> (either key may be left out); its id is its file name.
/// Immutable.
/// </summary>
public sealed class Norm
{
    /// <summary>Builds a norm. Neither <paramref name="txData"/> nor <paramref name="txFn"/> is needed: a norm of neither only marks itself applied.</summary>
    /// <param name="id">The norm's id, recorded as <c>:tx/norm</c>.</param>
    /// <param name="txData">Entity maps and operations, as <see cref="Connection.TransactAsync"/> takes them; null when the norm has none.</param>
    /// <param name="txFn">
    /// The name of a transaction function registered in the database's <see cref="FunctionRegistry"/>
    /// under the keyword of the same name (<c>my.ns/fn</c> → <c>:my.ns/fn</c>), called with no arguments
    /// in the norm's transaction after <paramref name="txData"/>; null when the norm has none.
    /// </param>
    public Norm(Keyword id, IReadOnlyList<object?>? txData = null, Symbol? txFn = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        Id = id;
        TxData = txData;
        TxFn = txFn;
    }

    /// <summary>The id recorded as <c>:tx/norm</c> once the norm is applied; from a file, its name with spaces as dashes.</summary>
    public Keyword Id { get; }

    /// <summary>The norm's tx-data, or null when it has none.</summary>
    public IReadOnlyList<object?>? TxData { get; }

    /// <summary>The name of the norm's transaction function, or null when it has none.</summary>
    public Symbol? TxFn { get; }

    /// <summary>The norm as its file would hold it: <c>{:tx-data [...] :tx-fn sym}</c> with only the keys it has.</summary>
    public EdnMap ToEdn()
    {
        var entries = new List<KeyValuePair<object?, object?>>(2);
        if (TxData is not null) entries.Add(new(Norms.TxDataKey, TxData as EdnVector ?? EdnVector.From(TxData)));
        if (TxFn is not null) entries.Add(new(Norms.TxFnKey, TxFn));
        return EdnMap.Create(entries);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Id} {EdnPrinter.Print(ToEdn())}";
}
