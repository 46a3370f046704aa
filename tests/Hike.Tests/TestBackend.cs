using Hike.Api;

namespace Hike.Tests;

/// <summary>
/// Where the tests' databases live. This project runs them in memory; Hike.Tests.FileStore compiles
/// the same tests with <c>FILE_STORE</c> defined, and then every database the fixtures make is a file
/// store with a tiny node cache, reopened from disk before it is read, so the whole suite also
/// exercises the codec, lazy loading, eviction and commits. Hike.Tests.Postgres does the same with
/// <c>POSTGRES_STORE</c>: every database a table on the test PostgreSQL server; Hike.Tests.S3 with
/// <c>S3_STORE</c>: every database under its own prefix of the test S3 bucket, its heads in PostgreSQL.
/// </summary>
internal static class TestBackend
{
#if FILE_STORE || POSTGRES_STORE || S3_STORE
    public static readonly bool IsDurable = true;
#else
    public static readonly bool IsDurable = false;
#endif

    private static readonly Lazy<string> Root = new(() =>
    {
        // The test host may be ended before ProcessExit runs: remove what earlier, ended runs left.
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "hike-tests-*"))
        {
            if (int.TryParse(Path.GetFileName(stale).AsSpan("hike-tests-".Length), out int pid) && !IsRunning(pid)) TryDelete(stale);
        }
        var root = Path.Combine(Path.GetTempPath(), $"hike-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(root);
        return root;
    });

    /// <summary>Removes the folder of this process's test databases, if it made one (at the end of the run).</summary>
    public static void DeleteRoot()
    {
        if (Root.IsValueCreated) TryDelete(Root.Value);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another run's, still in use: the next run removes it.
        }
    }

    /// <summary><paramref name="config"/> with the store tests use: a fresh in-memory store, file store or PostgreSQL table.</summary>
    public static DatabaseConfig Place(DatabaseConfig config) =>
#if S3_STORE
        config with { Store = Hike.Testing.TestServers.S3WithPostgresHeads(Guid.NewGuid().ToString()).Store, CacheBytes = 64 << 10 };
#elif POSTGRES_STORE
        config with { Store = Hike.Testing.TestServers.Postgres(Hike.Testing.TestServers.UniqueTable()).Store, CacheBytes = 64 << 10 };
#elif FILE_STORE
        config with { Store = StoreConfig.File(Path.Combine(Root.Value, Guid.NewGuid().ToString("N"))), CacheBytes = 64 << 10 };
#else
        config with { Store = StoreConfig.Memory(Guid.NewGuid().ToString()) };
#endif

    /// <summary>
    /// A database value holding <paramref name="txs"/> applied in order: built in memory with
    /// <see cref="Database.DbWith"/>, or transacted into a durable store and read back from it.
    /// </summary>
    public static Database Build(DatabaseConfig config, params object?[] txs)
    {
        if (!IsDurable)
        {
            var db = Database.Empty(config);
            foreach (var tx in txs) db = db.DbWith(tx);
            return db;
        }
        var placed = Place(config);
        Database.CreateAsync(placed).GetAwaiter().GetResult();
        using (var writer = Database.ConnectAsync(placed).GetAwaiter().GetResult())
        {
            foreach (var tx in txs) writer.Transact(tx);
        }
        // A fresh connection reads the commit back from disk.
        return Database.ConnectAsync(placed).GetAwaiter().GetResult().Db;
    }
}
