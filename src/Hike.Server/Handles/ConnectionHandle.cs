using Hike.Edn;

namespace Hike.Server.Handles;

/// <summary>
/// A connection as a client holds it (Datahike's <c>#datahike/Connection [store-id branch]</c>): the
/// store's identity, <c>[backend id]</c>, and the branch. The server keeps one connection per handle.
/// </summary>
internal sealed record ConnectionHandle(Keyword Backend, string StoreId, Keyword Branch)
{
    /// <summary>Datahike's store id: <c>[[backend id] branch]</c>.</summary>
    public EdnVector ToValue() => EdnVector.Create(EdnVector.Create(Backend, StoreId), Branch);

    /// <summary>Reads a store id as <see cref="ToValue"/> writes it; null when it is not one.</summary>
    public static ConnectionHandle? From(object? value) =>
        value is EdnSequence { Count: 2 } pair && pair[0] is EdnSequence { Count: 2 } store && store[0] is Keyword backend
        && Text(store[1]) is { } id && pair[1] is Keyword branch
            ? new ConnectionHandle(backend, id, branch)
            : null;

    private static string? Text(object? id) => id switch
    {
        string s => s,
        Guid g => g.ToString(),
        _ => null,
    };

    public override string ToString() => $"[[{Backend} {StoreId}] {Branch}]";
}
