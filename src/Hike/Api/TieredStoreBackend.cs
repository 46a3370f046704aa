using System.Collections.Concurrent;
using Hike.Edn;
using Hike.Index.Stored;
using Hike.Storage;
using Hike.Versioning;

namespace Hike.Api;

/// <summary>
/// The <c>:tiered</c> backend, with konserve's keys:
/// <c>{:backend :tiered :id U :frontend-config {...} :backend-config {...} :write-policy :write-through :read-policy :frontend-first}</c>,
/// plus <c>:warm-up</c> — <c>:none</c> (the default), <c>:all</c> (every segment the front lacks), or a
/// number N (the segments of the newest N commits of each branch) — done when the store opens. The front
/// is a memory (<c>:mem</c>, shared in this process by its <c>:id</c>), file or networked store; the
/// back any durable one. Packs are the immutable objects the front keeps; everything else is the back's.
/// </summary>
internal sealed class TieredStoreBackend : IStoreBackend
{
    public static readonly TieredStoreBackend Instance = new();

    /// <summary>The memory fronts of this process, by <c>:id</c>.</summary>
    private static readonly ConcurrentDictionary<string, MemoryStore> MemoryFronts = new(StringComparer.Ordinal);

    public string Kind => "tiered";

    public IStoreLocation Locate(StoreConfig store)
    {
        StoreConfig? frontConfig = null;
        IStoreLocation? back = null;
        bool writeThrough = true;
        int? warmUp = null;
        bool warmAll = false;
        foreach (var (key, value) in store.Options)
        {
            switch (((Keyword)key).FullName)
            {
                case "frontend-config":
                    frontConfig = Nested(key, value);
                    break;
                case "backend-config":
                    var backConfig = Nested(key, value);
                    if (backConfig.Backend == StoreConfig.MemBackend) throw Errors.Config(":store :backend-config must be a durable store, not :mem");
                    back = StoreBackends.Locate(backConfig);
                    break;
                case "write-policy":
                    writeThrough = (value as Keyword)?.FullName switch
                    {
                        "write-through" => true,
                        "write-around" => false,
                        _ => throw Errors.Config($":store :write-policy must be :write-through or :write-around, got {Errors.Show(value)}"),
                    };
                    break;
                case "read-policy":
                    if ((value as Keyword)?.FullName != "frontend-first") throw Errors.Config($":store :read-policy must be :frontend-first (heads are always read from the back), got {Errors.Show(value)}");
                    break;
                case "warm-up":
                    (warmAll, warmUp) = value switch
                    {
                        Keyword { FullName: "none" } => (false, (int?)null),
                        Keyword { FullName: "all" } => (true, null),
                        long n and > 0 and <= int.MaxValue => (false, (int)n),
                        _ => throw Errors.Config($":store :warm-up must be :none, :all or a positive number of commits, got {Errors.Show(value)}"),
                    };
                    break;
                default:
                    throw Errors.Config($"Unknown key {Errors.Show(key)} in :store for the :tiered backend; it takes :frontend-config, :backend-config, :write-policy, :read-policy and :warm-up");
            }
        }
        if (back is null) throw Errors.Config(":store :backend-config is required for the :tiered backend");
        if (frontConfig is null) throw Errors.Config(":store :frontend-config is required for the :tiered backend");
        // A memory front is the process's, by its id and the store behind it: two databases never share one.
        var front = frontConfig.Backend == StoreConfig.MemBackend ? new MemoryFront($"{frontConfig.Id}|{back.Key}") : StoreBackends.Locate(frontConfig);
        return new TieredLocation(
            front,
            back,
            writeThrough,
            warmAll ? 0 : warmUp);
    }

    private static StoreConfig Nested(object key, object? value) =>
        value is EdnMap ? StoreConfig.FromEdn(value) : throw Errors.Config($":store {Errors.Show(key)} must be a :store map");

    private static bool IsPack(string key) => key.StartsWith(Packs.Prefix, StringComparison.Ordinal);

    /// <summary>A tiered store: <paramref name="warmUp"/> 0 for every segment, N for the newest N commits' of each branch, null for none.</summary>
    private sealed class TieredLocation(IStoreLocation front, IStoreLocation back, bool writeThrough, int? warmUp) : IStoreLocation
    {
        public string Key => $"tiered:{back.Key}";

        public string Description => $":tiered {front.Description} over {back.Description}";

        public bool MayExist() => back.MayExist();

        public IKeyValueStore Open()
        {
            var backStore = back.Open();
            IKeyValueStore frontStore;
            try
            {
                frontStore = front.Open();
            }
            catch
            {
                backStore.Dispose();
                throw;
            }
            var tiered = new TieredStore(frontStore, backStore, IsPack, writeThrough);
            if (warmUp is { } newest && StoreLayout.HoldsDatabase(backStore)) TieredWarmUp.Run(tiered, newest == 0 ? null : newest, CancellationToken.None);
            return tiered;
        }

        public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
        {
            var tiered = (TieredStore)store;
            foreach (var key in tiered.Front.List(Packs.Prefix).ToList()) tiered.Front.Delete(key);
            front.Vacate(tiered.Front, keyFolders);
            back.Vacate(tiered.Back, keyFolders);
        }
    }

    /// <summary>A memory front, kept for the life of the process under its id.</summary>
    private sealed class MemoryFront(string id) : IStoreLocation
    {
        public string Key => $"mem:{id}";

        public string Description => $":mem {Errors.Show(id)}";

        public bool MayExist() => MemoryFronts.ContainsKey(id);

        public IKeyValueStore Open() => MemoryFronts.GetOrAdd(id, _ => new MemoryStore(appendsInPlace: true));

        public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders) => MemoryFronts.TryRemove(id, out _);
    }
}
