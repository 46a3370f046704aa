using System.Diagnostics;
using Hike.Api;
using Hike.Testing;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

/// <summary>A database on a file system that cannot be written: readers read, writers get a clear error, nothing hangs.</summary>
public sealed class ReadOnlyStoreTests
{
    [Fact]
    public async Task A_database_on_a_read_only_file_system_reads_and_refuses_writes_with_storage_io()
    {
        using var dir = new TempDirectory();
        using var readOnly = ReadOnlyFolder.Make(dir.Path);
        string path = Path.Combine(dir.Path, "db");
        var config = new DatabaseConfig { Store = StoreConfig.File(path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using (var conn = await Database.CreateAndConnectAsync(config)) conn.Transact("[{:n 1}]");
        readOnly.Seal();

        using var reader = await Database.ConnectAsync(config);
        Assert.Equal([1L], Counters(reader.Db));
        var write = await Assert.ThrowsAnyAsync<HikeException>(() => reader.TransactAsync("[{:n 2}]").WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("storage/io", write.Code);
        Assert.Equal([1L], Counters(reader.Db));
        var create = await Assert.ThrowsAnyAsync<HikeException>(() => Database.CreateAsync(config with { Store = StoreConfig.File(Path.Combine(dir.Path, "other")) }));
        Assert.Equal("storage/io", create.Code);
        reader.Release();
        var delete = await Assert.ThrowsAnyAsync<HikeException>(() => Database.DeleteAsync(config));
        Assert.Equal("storage/io", delete.Code);
        using var again = await Database.ConnectAsync(config);
        Assert.Equal([1L], Counters(again.Db));
    }

    /// <summary>
    /// A folder that can be made read-only: a tmpfs remounted read-only where this process may mount
    /// (root on Linux), else the folder's write permissions taken away (which binds only non-root users).
    /// </summary>
    private sealed class ReadOnlyFolder : IDisposable
    {
        private readonly string _path;
        private readonly bool _mounted;

        private ReadOnlyFolder(string path, bool mounted)
        {
            _path = path;
            _mounted = mounted;
        }

        public static ReadOnlyFolder Make(string path)
        {
            bool root = OperatingSystem.IsLinux() && Environment.UserName == "root";
            Assert.False(OperatingSystem.IsWindows(), "needs Linux as root, or a Unix user whose permissions bind");
            return new ReadOnlyFolder(path, root && Run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", path));
        }

        public void Seal()
        {
            if (_mounted) Assert.True(Run("mount", "-o", "remount,ro", _path), "could not remount read-only");
            else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }

        public void Dispose()
        {
            if (_mounted) Run("umount", _path);
            else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        private static bool Run(string program, params string[] args)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
    }
}
