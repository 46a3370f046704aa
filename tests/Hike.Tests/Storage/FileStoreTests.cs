using System.Diagnostics;
using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Storage;

public sealed class FileStoreTests(ITestOutputHelper output) : KeyValueStoreContract(output)
{
    private readonly TempDirectory _folder = new();

    private protected override IKeyValueStore Open() => new FileStore(_folder.Path);

    private FileStore Files => (FileStore)Store;

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }

    private string[] TempFiles() =>
        Directory.GetFiles(_folder.Path, "*" + StoreKeys.TempSuffix, SearchOption.AllDirectories);

    [Fact]
    public void A_missing_folder_is_created()
    {
        string folder = Path.Combine(_folder.Path, "a", "b");
        using var store = new FileStore(folder);
        Assert.True(Directory.Exists(folder));
        Assert.Equal(folder, store.Folder);
        Assert.Empty(store.List(""));
    }

    [Fact]
    public void Keys_are_files_at_their_path_under_the_store_folder()
    {
        Files.Put("nodes/3f/3f9a0c", Bytes("node"));
        Files.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        Assert.Equal("node", File.ReadAllText(Path.Combine(_folder.Path, "nodes", "3f", "3f9a0c")));
        // A compare-and-set key is a file of two slots, the value in the first.
        var head = File.ReadAllBytes(Path.Combine(_folder.Path, "heads", "db"));
        Assert.Equal(2 * 4096, head.Length);
        Assert.Equal("c1", System.Text.Encoding.UTF8.GetString(head, 24, 2));
    }

    [Fact]
    public void Overwriting_a_key_renames_a_new_file_over_the_old_one()
    {
        Files.Put("nodes/3f/3f9a0c", Bytes("old value"));
        string path = Path.Combine(_folder.Path, "nodes", "3f", "3f9a0c");
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Files.Put("nodes/3f/3f9a0c", Bytes("new"));
        // The open file still holds the whole old value: the new one went to another file.
        Assert.Equal("old value", new StreamReader(reader).ReadToEnd());
        Assert.Equal("new", Text(Files.Get("nodes/3f/3f9a0c")));
        Assert.Empty(TempFiles());
        Assert.Equal(["nodes/3f/3f9a0c"], Files.List(""));
    }

    [Fact]
    public void CompareAndSet_writes_the_older_of_two_slots_in_place()
    {
        Files.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("commit-1"));
        string path = Path.Combine(_folder.Path, "heads", "db");
        long length = new FileInfo(path).Length;
        Assert.True(Files.CompareAndSet("heads/db", Bytes("commit-1"), expectAbsent: false, Bytes("c2")));
        Assert.True(Files.CompareAndSet("heads/db", Bytes("c2"), expectAbsent: false, Bytes("c3")));
        Assert.Equal(length, new FileInfo(path).Length);
        Assert.Equal("c3", Text(Files.Get("heads/db")));
        Assert.Equal("c3", Text(new FileStore(_folder.Path).Get("heads/db")));
        Assert.Empty(TempFiles());
        Assert.Equal(["heads/db"], Files.List(""));
    }

    [Fact]
    public void A_damaged_slot_is_reported_not_skipped_for_the_older_value()
    {
        Files.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        Assert.True(Files.CompareAndSet("heads/db", Bytes("c1"), expectAbsent: false, Bytes("c2")));
        // A slot is written in one sub-sector write, which a crash cannot tear: a bad slot is damage,
        // whether it holds the newer value (reading the older would roll the key back) or the older.
        string path = Path.Combine(_folder.Path, "heads", "db");
        var file = File.ReadAllBytes(path);
        foreach (int at in new[] { 24, file.Length / 2 + 24 })
        {
            var damaged = (byte[])file.Clone();
            damaged[at] ^= 0xFF;
            File.WriteAllBytes(path, damaged);
            var error = Assert.Throws<CorruptionException>(() => Files.Get("heads/db"));
            Assert.Equal("heads/db", error.Key);
            Assert.Contains("damaged", error.Message);
            Assert.Throws<CorruptionException>(() => Files.CompareAndSet("heads/db", Bytes("c2"), expectAbsent: false, Bytes("c3")));
        }
        File.WriteAllBytes(path, file);
        Assert.Equal("c2", Text(Files.Get("heads/db")));
    }

    [Fact]
    public void A_value_larger_than_a_slot_gets_a_larger_slot_file()
    {
        Files.CompareAndSet("branches", default, expectAbsent: true, Bytes("small"));
        var big = new string('b', 10_000);
        Assert.True(Files.CompareAndSet("branches", Bytes("small"), expectAbsent: false, Bytes(big)));
        Assert.Equal(big, Text(Files.Get("branches")));
        Assert.True(Files.CompareAndSet("branches", Bytes(big), expectAbsent: false, Bytes("small again")));
        Assert.Equal("small again", Text(Files.Get("branches")));
    }

    [Fact]
    public void Temporary_files_are_never_listed_and_the_writer_removes_them()
    {
        Files.Put("nodes/3f/3f9a", Bytes("node"));
        string[] leftovers =
        [
            Path.Combine(_folder.Path, "nodes", "3f", "3f9a.123-4" + StoreKeys.TempSuffix),
            Path.Combine(_folder.Path, "db.9-1" + StoreKeys.TempSuffix),
        ];
        foreach (string leftover in leftovers) File.WriteAllText(leftover, "torn");
        Assert.Equal(["nodes/3f/3f9a"], Files.List(""));
        Assert.Equal(["nodes/3f/3f9a"], Files.List("nodes/3f/"));
        using (Files.AcquireWriterLock())
        {
            Assert.Empty(TempFiles());
        }
        Assert.Equal("node", Text(Files.Get("nodes/3f/3f9a")));
    }

    [Fact]
    public void Files_that_are_not_keys_are_not_listed()
    {
        Files.Put("heads/db", Bytes("c1"));
        File.WriteAllText(Path.Combine(_folder.Path, "README.TXT"), "not a key");
        File.WriteAllText(Path.Combine(_folder.Path, "heads", "a b"), "not a key");
        using (Files.AcquireWriterLock())
        {
            Assert.True(File.Exists(Path.Combine(_folder.Path, StoreKeys.LockFileName)));
            Assert.Equal(["heads/db"], Files.List(""));
        }
    }

    [Fact]
    public void Get_of_a_folder_of_keys_returns_null()
    {
        Files.Put("heads/db", Bytes("c1"));
        Assert.Null(Files.Get("heads"));
    }

    [Fact]
    public void A_key_that_is_the_folder_of_other_keys_cannot_be_written()
    {
        Files.Put("heads/db", Bytes("c1"));
        Assert.ThrowsAny<IOException>(() => Files.Put("heads", Bytes("x")));
        Assert.Equal(["heads/db"], Files.List(""));
    }

    [Fact]
    public void Sync_without_syncfs_keeps_every_write()
    {
        Files.SyncFileSystemDisabled = true;
        for (int i = 0; i < 16; i++) Files.Put($"nodes/{i:x2}/{i:x2}0001", Bytes($"node {i}"));
        Files.Put("nodes/00/000001", Bytes("replaced"));
        Files.Delete("nodes/01/010001");
        Files.Sync();
        Files.Sync();
        using var reopened = new FileStore(_folder.Path);
        Assert.Equal("replaced", Text(reopened.Get("nodes/00/000001")));
        Assert.Null(reopened.Get("nodes/01/010001"));
        Assert.Equal("node 15", Text(reopened.Get("nodes/0f/0f0001")));
        Assert.Equal(15, reopened.List("nodes/").Count());
    }

    [Fact]
    public void The_writer_lock_message_names_the_store_folder()
    {
        using var other = new FileStore(_folder.Path);
        using IDisposable writer = Files.AcquireWriterLock();
        var error = Assert.Throws<HikeException>(() => other.AcquireWriterLock());
        Assert.Equal("db/writer-locked", error.Code);
        Assert.Equal($"Store folder {Files.Folder} is locked: another writer holds it", error.Message);
    }

    [Fact]
    public void Disposing_the_store_releases_its_writer_lock_and_refuses_later_calls()
    {
        IDisposable writer = Files.AcquireWriterLock();
        Files.Dispose();
        using var other = new FileStore(_folder.Path);
        using var third = new FileStore(_folder.Path);
        using (other.AcquireWriterLock())
        {
            writer.Dispose(); // already released by the store: must not release the new holder's lock
            Assert.Throws<HikeException>(() => third.AcquireWriterLock());
        }
        Assert.Throws<ObjectDisposedException>(() => Files.Get("heads/db"));
        Assert.Throws<ObjectDisposedException>(() => Files.Put("heads/db", Bytes("x")));
        Assert.Throws<ObjectDisposedException>(() => Files.Sync());
    }

    [Fact]
    public void A_writer_lock_held_by_another_process_refuses_ours_until_that_process_is_killed()
    {
        if (!OperatingSystem.IsLinux()) return; // flock(1) comes with util-linux
        string lockPath = Path.Combine(_folder.Path, StoreKeys.LockFileName);
        // Blocking, so it waits out our probes below instead of failing on them; --close keeps the
        // lock out of its child (sleep), so that flock, once reaped, holds nothing.
        using Process child = StartFlock("--close", lockPath, "sleep", "120");
        try
        {
            HikeException refused = WaitUntilRefused(Files);
            Assert.Equal("db/writer-locked", refused.Code);
            child.Kill(entireProcessTree: true); // SIGKILL: the kernel must drop the lock
            Assert.True(child.WaitForExit(10_000));
            using IDisposable writer = Files.AcquireWriterLock();
            Assert.NotNull(writer);
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Our_writer_lock_is_seen_by_other_processes()
    {
        if (!OperatingSystem.IsLinux()) return; // flock(1) comes with util-linux
        string lockPath = Path.Combine(_folder.Path, StoreKeys.LockFileName);
        using (Files.AcquireWriterLock())
        {
            Assert.Equal(1, RunFlock("--nonblock", lockPath, "true"));
        }
        Assert.Equal(0, RunFlock("--nonblock", lockPath, "true"));
    }

    private static HikeException WaitUntilRefused(FileStore store)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                store.AcquireWriterLock().Dispose();
            }
            catch (HikeException e)
            {
                return e;
            }
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the child process never took the lock");
            Thread.Sleep(20);
        }
    }

    private static Process StartFlock(params string[] arguments)
    {
        var start = new ProcessStartInfo(FlockPath()) { UseShellExecute = false };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    private static int RunFlock(params string[] arguments)
    {
        using Process process = StartFlock(arguments);
        Assert.True(process.WaitForExit(10_000));
        return process.ExitCode;
    }

    private static string FlockPath()
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(folder, "flock");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("These tests need flock(1) from util-linux on the PATH");
    }
}
