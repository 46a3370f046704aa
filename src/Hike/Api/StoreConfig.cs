using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Where a database lives (Datahike's <c>:store</c> map): a backend keyword (<c>:mem</c>, <c>:file</c>)
/// with its id and, for the file store, its path.
/// </summary>
public sealed record StoreConfig
{
    internal static readonly Keyword MemBackend = Keyword.Intern("mem");
    internal static readonly Keyword FileBackend = Keyword.Intern("file");

    /// <summary>The backend, e.g. <c>:mem</c> or <c>:file</c>.</summary>
    public required Keyword Backend { get; init; }

    /// <summary>
    /// The store's id (Datahike's <c>:id</c>): names a memory database; identifies a durable store.
    /// Empty for a durable store when not given: it then gets a fresh UUID when created, and any id
    /// is accepted on connect.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>The directory of a file store, else null.</summary>
    public string? Path { get; init; }

    /// <summary>An in-memory store named <paramref name="id"/> (a fresh unique name when omitted).</summary>
    public static StoreConfig Memory(string? id = null) => new() { Backend = MemBackend, Id = id ?? Guid.NewGuid().ToString() };

    /// <summary>A file store in directory <paramref name="path"/> (the embedded default for durable databases).</summary>
    public static StoreConfig File(string path, string? id = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new() { Backend = FileBackend, Id = id ?? "", Path = path };
    }

    /// <summary>The store as Datahike's EDN map.</summary>
    public EdnMap ToEdn()
    {
        var entries = new List<KeyValuePair<object?, object?>> { new(Keyword.Intern("backend"), Backend), new(Keyword.Intern("id"), Id) };
        if (Path is not null) entries.Add(new(Keyword.Intern("path"), Path));
        return EdnMap.Create(entries);
    }

    /// <summary>Reads Datahike's <c>:store</c> map; unknown keys and unsupported backends are errors.</summary>
    internal static StoreConfig FromEdn(object? value)
    {
        var entries = Maps.ToEntries(value) ?? throw Errors.Config($":store must be a map, got {Errors.Show(value)}");
        Keyword? backend = null;
        string? id = null;
        string? path = null;
        foreach (var (key, v) in entries)
        {
            switch ((key as Keyword)?.FullName)
            {
                case "backend":
                    backend = v as Keyword ?? throw Errors.Config($":store :backend must be a keyword, got {Errors.Show(v)}");
                    break;
                case "id":
                    id = v switch
                    {
                        string s => s,
                        Guid g => g.ToString(),
                        Keyword k => k.FullName,
                        _ => throw Errors.Config($":store :id must be a string or uuid, got {Errors.Show(v)}"),
                    };
                    break;
                case "path":
                    path = v as string ?? throw Errors.Config($":store :path must be a string, got {Errors.Show(v)}");
                    break;
                default:
                    throw Errors.Config($"Unknown key {Errors.Show(key)} in :store");
            }
        }
        if (backend is null) throw Errors.Config(":store needs a :backend");
        if (backend == MemBackend || backend.FullName == "memory")
        {
            if (path is not null) throw Errors.Config(":store :path is not a key of the :mem backend");
            return new StoreConfig { Backend = MemBackend, Id = id ?? throw Errors.Config(":store :id is required for the :mem backend") };
        }
        if (backend == FileBackend)
        {
            if (path is null) throw Errors.Config(":store :path is required for the :file backend");
            return new StoreConfig { Backend = FileBackend, Id = id ?? "", Path = path };
        }
        throw Errors.Config($"Unknown :store :backend {backend}");
    }
}
