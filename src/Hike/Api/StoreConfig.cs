using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// Where a database lives (Datahike's <c>:store</c> map): a backend keyword (<c>:mem</c>, <c>:file</c>,
/// or a networked store's: <c>:s3</c>, <c>:jdbc</c>, <c>:redis</c>) with its id, for the file store its
/// path, and for the others their own keys as konserve names them (<see cref="Options"/>). Credentials
/// among them (<c>:secret</c>, <c>:password</c>, a URI's user info) are never printed and never
/// stored with the database. Konserve's store options, which Datahike's config
/// files carry as <c>:config {:in-place? true :sync-blob? true ...}</c>, are checked and ignored: they
/// tune how konserve writes a blob, and Hike's stores keep one write discipline of their own (nodes,
/// then the commit, then the head, synced once per group commit; one writer enforced by a lock).
/// Konserve's <c>:encoding</c> (serializer, compressor, encryptor) is refused rather than ignored.
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

    /// <summary>
    /// The backend's own keys besides <c>:backend</c>, <c>:id</c> and <c>:path</c>, as konserve names
    /// them (e.g. <c>:bucket</c>, <c>:region</c> and <c>:endpoint-override</c> for <c>:s3</c>;
    /// <c>:dbtype</c>, <c>:host</c> and <c>:table</c> for <c>:jdbc</c>). Empty for <c>:mem</c> and <c>:file</c>.
    /// </summary>
    public EdnMap Options { get; init; } = EdnMap.Empty;

    /// <summary>An in-memory store named <paramref name="id"/> (a fresh unique name when omitted).</summary>
    public static StoreConfig Memory(string? id = null) => new() { Backend = MemBackend, Id = id ?? Guid.NewGuid().ToString() };

    /// <summary>A file store in directory <paramref name="path"/> (the embedded default for durable databases).</summary>
    public static StoreConfig File(string path, string? id = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new() { Backend = FileBackend, Id = id ?? "", Path = path };
    }

    /// <summary>
    /// The store as Datahike's EDN map, without its credentials: what is printed, and what a database
    /// keeps of its configuration. The credentials stay in <see cref="Options"/>, which connects.
    /// </summary>
    public EdnMap ToEdn()
    {
        var options = StoreCredentials.Without(Options);
        var entries = new List<KeyValuePair<object?, object?>> { new(Keyword.Intern("backend"), Backend), new(Keyword.Intern("id"), Id) };
        if (Path is not null) entries.Add(new(Keyword.Intern("path"), Path));
        entries.AddRange(options.Select(e => new KeyValuePair<object?, object?>(e.Key, e.Value)));
        return EdnMap.Create(entries);
    }

    /// <summary>The store as EDN, without its credentials (<see cref="ToEdn"/>).</summary>
    public override string ToString() => EdnPrinter.Print(ToEdn());

    /// <summary>Reads Datahike's <c>:store</c> map; unknown keys and unsupported backends are errors.</summary>
    internal static StoreConfig FromEdn(object? value)
    {
        var entries = Maps.ToEntries(value) ?? throw Errors.Config($":store must be a map, got {Errors.Show(value)}");
        Keyword? backend = null;
        string? id = null;
        string? path = null;
        var options = new List<KeyValuePair<object?, object?>>();
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
                case "config":
                    CheckKonserveConfig(v);
                    break;
                default:
                    // A backend's own keys: it checks them when it opens the store.
                    if (key is not Keyword) throw Errors.Config($"Unknown key {Errors.Show(key)} in :store");
                    options.Add(new(key, v));
                    break;
            }
        }
        if (backend is null) throw Errors.Config(":store needs a :backend");
        if ((backend == MemBackend || backend == FileBackend || backend.FullName == "memory") && options.Count > 0)
        {
            throw Errors.Config($"Unknown key {Errors.Show(options[0].Key)} in :store");
        }
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
        return new StoreConfig { Backend = backend, Id = id ?? "", Path = path, Options = EdnMap.Create(options) };
    }

    /// <summary>
    /// Checks the shape of konserve's <c>:config</c> map: a map of its write-policy flags, each true or
    /// false, and konserve-s3's retry count. None applies to Hike's stores, so none is kept (see the
    /// type's remarks).
    /// </summary>
    private static void CheckKonserveConfig(object? value)
    {
        // DATAHIKE: konserve's :config is accepted so Datahike's config files open, but ignored: the file
        // store keeps its own write and sync order (docs/reliability.md) whatever :sync-blob? and :in-place? say.
        var entries = Maps.ToEntries(value) ?? throw Errors.Config($":store :config must be a map, got {Errors.Show(value)}");
        foreach (var (key, v) in entries)
        {
            switch ((key as Keyword)?.FullName)
            {
                case "in-place?" or "sync-blob?" or "lock-blob?" or "no-backup?":
                    if (v is not bool) throw Errors.Config($":store :config {Errors.Show(key)} must be true or false, got {Errors.Show(v)}");
                    break;
                case "optimistic-locking-retries":
                    // konserve-s3's retries of a conflicting update; Hike's heads move by compare-and-set, and a
                    // conflict means another writer (db/writer-conflict), never a retry.
                    if (v is not (long and >= 0)) throw Errors.Config($":store :config {Errors.Show(key)} must be a whole number, got {Errors.Show(v)}");
                    break;
                case "encoding":
                    // Ignoring it would store unencrypted what the caller asked to have encrypted.
                    throw Errors.Config(":store :config :encoding is not supported: Hike writes its own node format, without konserve's serializers, compressors or encryptors");
                default:
                    throw Errors.Config($"Unknown key {Errors.Show(key)} in :store :config, expected konserve's :in-place?, :sync-blob?, :lock-blob?, :no-backup? or :optimistic-locking-retries");
            }
        }
    }
}
