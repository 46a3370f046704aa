namespace Hike.Bench;

/// <summary>An open database of the durable benchmark.</summary>
internal interface IDurableSession : IDisposable
{
    /// <summary>Readies <paramref name="count"/> concurrent submitters (SQLite: a connection each), outside the timing.</summary>
    void PrepareSubmitters(int count);

    /// <summary>
    /// Commits one durable transaction adding <paramref name="people"/> as new entities, plus the
    /// transaction's <c>:db/txInstant</c>. Submitters <c>[0, count)</c> may call it concurrently,
    /// each one transaction at a time.
    /// </summary>
    Task TransactAsync(int submitter, DurablePerson[] people);

    /// <summary>The entity whose <c>:name</c> is <paramref name="name"/>, through the index on <c>:name</c>.</summary>
    long? FindByName(string name);

    /// <summary>Reads every datom of the EAVT index, in order; returns how many.</summary>
    long ScanEavt();

    /// <summary>The datoms about user entities: neither schema nor transaction datoms.</summary>
    long CountEntityDatoms();
}
