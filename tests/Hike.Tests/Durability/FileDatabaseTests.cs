using Hike.Api;
using Hike.Storage;
using Hike.Testing;
using static Hike.Tests.Durability.DurableFixture;

namespace Hike.Tests.Durability;

public sealed class FileDatabaseTests
{
    [Fact]
    public async Task Datahikes_edn_config_creates_and_reopens_a_file_database()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "db");
        var id = Guid.NewGuid();
        var edn = $$"""{:store {:backend :file :path "{{path}}" :id #uuid "{{id}}"} :keep-history? true :schema-flexibility :read}""";
        await Database.CreateAsync(edn);
        Assert.True(await Database.ExistsAsync(DatabaseConfig.Parse(edn)));
        using (var conn = await Database.ConnectAsync(edn))
        {
            conn.Transact("[{:name \"Ivan\" :age 37}]");
        }
        using (var again = await Database.ConnectAsync(edn))
        {
            Assert.Equal(37L, Datalog.Q("[:find ?a . :where [?e :name \"Ivan\"] [?e :age ?a]]", again.Db));
            Assert.Equal(id.ToString(), again.Config.Store.Id);
        }
        // Connecting without :id takes the stored one; connecting with another :id is refused, naming the key.
        using (var noId = await Database.ConnectAsync($$$"""{:store {:backend :file :path "{{{path}}}"}}"""))
        {
            Assert.Equal(id.ToString(), noId.Config.Store.Id);
        }
        var wrongId = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync($$$"""{:store {:backend :file :path "{{{path}}}" :id #uuid "{{{Guid.NewGuid()}}}"}}"""));
        Assert.Equal("config/invalid", wrongId.Code);
        Assert.Contains(":id", wrongId.Message);
        var wrongHistory = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync($$$"""{:store {:backend :file :path "{{{path}}}"} :keep-history? false}"""));
        Assert.Contains(":keep-history?", wrongHistory.Message);
        var wrongFlex = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync($$$"""{:store {:backend :file :path "{{{path}}}"} :schema-flexibility :write}"""));
        Assert.Contains(":schema-flexibility", wrongFlex.Message);
        Assert.Equal("db/exists", (await Assert.ThrowsAsync<HikeException>(() => Database.CreateAsync(edn))).Code);
        Assert.True(await Database.DeleteAsync(DatabaseConfig.Parse(edn)));
        Assert.False(await Database.ExistsAsync(DatabaseConfig.Parse(edn)));
        Assert.Equal("db/missing", (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(edn))).Code);
    }

    [Fact]
    public async Task A_refused_connection_to_an_open_database_leaves_it_closing_with_its_last_connection()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(dir.Path, "db")), KeepHistory = true };
        var open = await Database.CreateAndConnectAsync(config);
        var refused = await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config with { KeepHistory = false }));
        Assert.Equal("config/invalid", refused.Code);
        open.Release();
        // Closed: recovery, which needs the database closed in this process, runs.
        Assert.Empty((await Database.RecoverAsync(config)).Damaged);
    }

    [Fact]
    public async Task Connections_opened_at_once_share_one_database_and_a_failed_opening_leaves_nothing_behind()
    {
        using var dir = new TempDirectory();
        var config = new DatabaseConfig { Store = StoreConfig.File(Path.Combine(dir.Path, "db")), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };

        // Openings of a database that is not there all fail, and none is left half open.
        var missing = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config))).Code)));
        Assert.All(missing, code => Assert.Equal("db/missing", code));

        // A config the store does not hold: the opening fails after reading it, again for all at once.
        await Database.CreateAsync(config);
        var refused = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => (await Assert.ThrowsAsync<HikeException>(() => Database.ConnectAsync(config with { KeepHistory = false }))).Code)));
        Assert.All(refused, code => Assert.Equal("config/invalid", code));

        // Then openings at once share one database: what one writes the others read at once.
        var conns = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Database.ConnectAsync(config))));
        conns[3].Transact("[{:n 7}]");
        Assert.All(conns, c => Assert.Equal(7L, Datalog.Q("[:find ?n . :where [_ :n ?n]]", c.Db)));
        foreach (var conn in conns) conn.Release();
        // All released: the database is closed in this process, as recovery requires.
        Assert.Empty((await Database.RecoverAsync(config)).Damaged);
    }

    [Fact]
    public async Task Commits_have_time_ordered_ids_and_name_their_parents()
    {
        using var dir = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using var conn = await Database.CreateAndConnectAsync(config);
        var first = conn.Db;
        Assert.NotNull(first.CommitId);
        var r1 = conn.Transact("[{:n 1}]");
        var r2 = conn.Transact("[{:n 2}]");
        Assert.Equal(first.CommitId, r1.DbBefore.CommitId);
        Assert.Equal([first.CommitId!.Value], r1.DbAfter.ParentCommitIds);
        Assert.Equal([r1.DbAfter.CommitId!.Value], r2.DbAfter.ParentCommitIds);
        Assert.Equal(r2.DbAfter.CommitId, conn.Db.CommitId);
        // Version 7 UUIDs: later commits sort after earlier ones, also within one millisecond.
        Assert.True(string.CompareOrdinal(first.CommitId.ToString(), r1.DbAfter.CommitId.ToString()) < 0);
        Assert.True(string.CompareOrdinal(r1.DbAfter.CommitId.ToString(), r2.DbAfter.CommitId.ToString()) < 0);
        Assert.Equal(7, r2.DbAfter.CommitId!.Value.Version);
        // A value made with With was never committed.
        Assert.Null(conn.Db.With("[{:n 3}]").DbAfter.CommitId);
        conn.Release();
        using var reopened = await Database.ConnectAsync(config);
        Assert.Equal(r2.DbAfter.CommitId, reopened.Db.CommitId);
        Assert.Equal([r1.DbAfter.CommitId!.Value], reopened.Db.ParentCommitIds);
    }

    [Fact]
    public void Commit_ids_increase_even_within_a_millisecond()
    {
        Guid? previous = null;
        for (int i = 0; i < 10_000; i++)
        {
            var next = Hike.Versioning.CommitIds.Next(previous);
            Assert.Equal(7, next.Version);
            if (previous is { } p) Assert.True(string.CompareOrdinal(p.ToString(), next.ToString()) < 0, $"{next} does not sort after {p}");
            previous = next;
        }
    }

    [Fact]
    public async Task Memory_databases_have_commit_ids_too()
    {
        using var conn = await Database.CreateAndConnectAsync(new DatabaseConfig { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) });
        var before = conn.Db.CommitId;
        var report = conn.Transact("[{:n 1}]");
        Assert.NotNull(before);
        Assert.Equal([before!.Value], report.DbAfter.ParentCommitIds);
    }

    [Fact]
    public void Opening_reads_the_same_number_of_objects_whatever_the_size()
    {
        int small = ReadsToOpen(entities: 2_000);
        int large = ReadsToOpen(entities: 20_000);
        Assert.Equal(small, large);
        Assert.True(small < 40, $"{small} reads to open");
    }

    [Fact]
    public void A_transaction_writes_only_the_nodes_it_changed()
    {
        var disk = new MemoryStore();
        using var conn = Create(disk, Config() with { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) });
        conn.Transact(Batch(0, 20_000));
        var segment = Assert.Single(disk.List(Hike.Index.Stored.Packs.Prefix));
        var before = SegmentObjects(disk, segment).ToHashSet();
        conn.Transact("[{:n 5000000}]");
        Assert.Equal([segment], disk.List(Hike.Index.Stored.Packs.Prefix));
        // One commit appends one pack. One new entity lands in tails, which live in their chunk: the
        // pack holds the chunks of EAVT, AEVT (:n and :db/txInstant) and AVET (:n), and the commit
        // record. No index node is rewritten.
        var written = SegmentObjects(disk, segment).Where(o => !before.Contains(o)).ToList();
        var kinds = written.Select(o => disk.GetRange(segment, o.Offset + 3, 1)![0]).ToList();
        Assert.Equal([Hike.Index.Codec.Envelope.KindRoots, Hike.Index.Codec.Envelope.KindRoots, Hike.Index.Codec.Envelope.KindRoots, Hike.Index.Codec.Envelope.KindRoots, Hike.Index.Codec.Envelope.KindCommit], kinds);
    }

    [Fact]
    public async Task A_flipped_bit_in_a_stored_node_is_reported_as_corruption_naming_the_node()
    {
        using var dir = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema), CacheBytes = 1 << 16 };
        using (var conn = await Database.CreateAndConnectAsync(config)) conn.Transact(Batch(0, 5_000));
        using (var store = new FileStore(dir.Path))
        {
            // A bit flipped in every seventh object (the packs' indices stay intact).
            foreach (var key in store.List(Hike.Index.Stored.Packs.Prefix))
            {
                var bytes = store.Get(key)!;
                foreach (var (offset, length) in SegmentObjects(store, key).Where((_, i) => i % 7 == 0)) bytes[offset + length / 2] ^= 0x10;
                store.Put(key, bytes);
            }
        }
        using var reopened = await Database.ConnectAsync(config);
        var error = Assert.Throws<CorruptionException>(() => ReadEverything(reopened.Db));
        Assert.StartsWith("packs/", error.Key);
        Assert.Contains(error.Key, error.Message);
        Assert.Equal("storage/corrupt", error.Code);
    }

    [Fact]
    public async Task A_copy_taken_file_by_file_while_the_writer_writes_opens_when_heads_are_copied_first()
    {
        using var dir = new TempDirectory();
        using var copy = new TempDirectory();
        Directory.Delete(dir.Path);
        var config = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) };
        using var conn = await Database.CreateAndConnectAsync(config);
        long acknowledged = 0;
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            for (long i = 1; !stop.IsCancellationRequested; i++)
            {
                await conn.TransactAsync($"[{{:n {i}}} {{:n {-i}}}]");
                Interlocked.Exchange(ref acknowledged, i);
            }
        });
        while (Interlocked.Read(ref acknowledged) < 20) await Task.Delay(5);
        long before = Interlocked.Read(ref acknowledged);
        // File by file while the writer goes on, the heads first: packs only grow, so every commit the
        // copied heads name is in the segments copied after them.
        var files = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("writer.lock", StringComparison.Ordinal))
            .OrderBy(f => f.Contains($"{Path.DirectorySeparatorChar}packs{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? 1 : 0)
            .ToList();
        foreach (var file in files)
        {
            var target = Path.Combine(copy.Path, Path.GetRelativePath(dir.Path, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            await Task.Delay(2);
        }
        stop.Cancel();
        await writing;

        using var copied = Open(new FileStore(copy.Path));
        var seen = Counters(copied.Db).ToHashSet();
        Assert.All(seen, n => Assert.Contains(-n, seen));
        Assert.True(seen.Count / 2 >= before, $"the copy has {seen.Count / 2} commits, {before} were acknowledged before it began");
        ReadEverything(copied.Db);
        copied.Transact("[{:n 999999} {:n -999999}]");
        Assert.Contains(999_999L, Counters(Open(new FileStore(copy.Path)).Db));
    }

    [Fact]
    public void A_one_datom_change_to_a_large_stored_database_reads_a_few_dozen_objects()
    {
        var disk = new MemoryStore();
        using (var writer = Create(disk, Config() with { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) }))
        {
            for (int start = 0; start < 60_000; start += 20_000)
            {
                writer.Transact("[" + string.Concat(Enumerable.Range(start, 20_000).Select(i => $"{{:n {i}}}")) + "]");
            }
        }
        var counting = new CountingStore(disk);
        using var conn = Open(counting, Config(cacheBytes: 1 << 16));
        var before = conn.Db;
        var after = conn.Transact("[[:db/add [:n 31337] :n 999999]]").DbAfter;
        int reads = counting.Gets;
        var diff = Database.Diff(before, after);
        Assert.Equal([31337L], diff.Removed.Select(d => d.V).Cast<long>());
        Assert.Contains(999_999L, diff.Added.Select(d => d.V));
        Assert.InRange(counting.Gets - reads, 0, 40);
    }

    private static int ReadsToOpen(int entities)
    {
        var disk = new MemoryStore();
        using (var conn = Create(disk, Config() with { InitialTx = Hike.Edn.EdnReader.Read(CounterSchema) }))
        {
            for (int start = 0; start < entities; start += 5_000) conn.Transact(Batch(start, Math.Min(5_000, entities - start)));
        }
        var counting = new CountingStore(disk);
        using var reopened = Open(counting);
        var db = reopened.Db;
        int toOpen = counting.Gets;
        // A point query then reads one path per index it uses: O(log n) more.
        Assert.IsType<long>(Datalog.Q("[:find ?e . :in $ ?n :where [?e :n ?n]]", db, (long)entities - 1));
        Assert.InRange(counting.Gets - toOpen, 0, 8);
        return toOpen;
    }

    private static string Batch(int start, int count)
    {
        var sb = new System.Text.StringBuilder("[");
        for (int i = start; i < start + count; i++) sb.Append($"{{:n {i}}}");
        return sb.Append(']').ToString();
    }
}
