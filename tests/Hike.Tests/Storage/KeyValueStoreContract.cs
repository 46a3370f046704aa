using System.Text;
using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Storage;

/// <summary>
/// What every <see cref="IKeyValueStore"/> must do; each store's test class derives from this and
/// says how to open its store.
/// </summary>
public abstract class KeyValueStoreContract(ITestOutputHelper output) : IDisposable
{
    private readonly List<IKeyValueStore> _opened = [];
    private IKeyValueStore? _store;

    /// <summary>The store under test, opened on first use.</summary>
    private protected IKeyValueStore Store => _store ??= Reopen();

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>Opens a store over the data the test's stores share (a folder, a memory "disk").</summary>
    private protected abstract IKeyValueStore Open();

    /// <summary>Another store over the same data, disposed with the test.</summary>
    private protected IKeyValueStore Reopen()
    {
        IKeyValueStore store = Open();
        _opened.Add(store);
        return store;
    }

    public virtual void Dispose()
    {
        foreach (IKeyValueStore store in _opened) store.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(byte[]? bytes) => bytes is null ? "<null>" : Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Get_of_a_missing_key_returns_null()
    {
        Assert.Null(Store.Get("nodes/3f/3f9a0c"));
        Assert.Null(Store.Get("heads/db"));
    }

    [Fact]
    public void Put_then_Get_returns_the_value()
    {
        var value = new byte[2048];
        new Random(7).NextBytes(value);
        Store.Put("nodes/3f/3f9a0c", value);
        Assert.Equal(value, Store.Get("nodes/3f/3f9a0c"));
    }

    [Fact]
    public void Put_replaces_the_value_of_an_existing_key()
    {
        Store.Put("branches", Bytes("short"));
        Store.Put("branches", Bytes("a much longer value than before"));
        Assert.Equal("a much longer value than before", Text(Store.Get("branches")));
        Store.Put("branches", Bytes("tiny"));
        Assert.Equal("tiny", Text(Store.Get("branches")));
    }

    [Fact]
    public void An_empty_value_is_stored_and_differs_from_a_missing_key()
    {
        Store.Put("empty", []);
        byte[]? empty = Store.Get("empty");
        Assert.NotNull(empty);
        Assert.Empty(empty);
        Assert.Equal(["empty"], Store.List(""));
    }

    [Fact]
    public void Values_are_copied_in_and_out()
    {
        byte[] value = Bytes("abc");
        Store.Put("k", value);
        value[0] = (byte)'X';
        byte[] read = Store.Get("k")!;
        read[1] = (byte)'Y';
        Store.CompareAndSet("h", default, expectAbsent: true, value);
        value[2] = (byte)'Z';
        Assert.Equal("abc", Text(Store.Get("k")));
        Assert.Equal("Xbc", Text(Store.Get("h")));
    }

    [Fact]
    public void GetRange_reads_part_of_a_value()
    {
        Store.Put("packs/p", Bytes("0123456789"));
        Assert.Equal("345", Text(Store.GetRange("packs/p", 3, 3)));
        Assert.Equal("89", Text(Store.GetRange("packs/p", 8, 5)));
        Assert.Empty(Store.GetRange("packs/p", 20, 4)!);
        Assert.Empty(Store.GetRange("packs/p", 0, 0)!);
        Assert.Null(Store.GetRange("packs/none", 0, 4));
    }

    [Fact]
    public void Size_is_the_length_of_the_value_whichever_way_it_was_written()
    {
        Store.Put("nodes/a", Bytes("abc"));
        Store.Append("packs/0000000000000001", Bytes("12345"));
        Store.Append("packs/0000000000000001", Bytes("67"));
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("commit-1"));
        Store.CompareAndSet("heads/db", Bytes("commit-1"), expectAbsent: false, Bytes("c2"));
        Store.Put("empty", []);

        Assert.Equal(3L, Store.Size("nodes/a"));
        Assert.Equal(7L, Store.Size("packs/0000000000000001"));
        Assert.Equal(2L, Store.Size("heads/db"));
        Assert.Equal(0L, Store.Size("empty"));
        Assert.Null(Store.Size("missing"));
    }

    [Fact]
    public void Append_grows_a_value_and_returns_where_each_part_starts()
    {
        Assert.Equal(0, Store.Append("packs/s", Bytes("abc")));
        Assert.Equal(3, Store.Append("packs/s", Bytes("defg")));
        Assert.Equal(7, Store.Append("packs/s", Bytes("")));
        Store.Sync();
        Assert.Equal("abcdefg", Text(Store.Get("packs/s")));
        Assert.Equal("def", Text(Store.GetRange("packs/s", 3, 3)));
        Assert.Equal(["packs/s"], Store.List("packs/"));
    }

    [Fact]
    public void Trim_zeroes_ranges_and_keeps_the_rest_and_the_length()
    {
        Store.Put("packs/p", Bytes("0123456789"));
        Store.Trim("packs/p", [(1, 2), (6, 100)]);
        Store.Sync();
        Assert.Equal(Bytes("0\0\0345\0\0\0\0"), Store.Get("packs/p"));
        Assert.Equal("345", Text(Store.GetRange("packs/p", 3, 3)));
        Store.Trim("packs/none", [(0, 4)]);
        Assert.Null(Store.Get("packs/none"));
    }

    [Fact]
    public void Delete_removes_a_key_and_reports_whether_it_existed()
    {
        Store.Put("nodes/aa/aa01", Bytes("1"));
        Store.Put("nodes/aa/aa02", Bytes("2"));
        Assert.True(Store.Delete("nodes/aa/aa01"));
        Assert.False(Store.Delete("nodes/aa/aa01"));
        Assert.False(Store.Delete("nodes/bb/bb01"));
        Assert.Null(Store.Get("nodes/aa/aa01"));
        Assert.Equal("2", Text(Store.Get("nodes/aa/aa02")));
        Assert.Equal(["nodes/aa/aa02"], Store.List("nodes/"));
    }

    [Fact]
    public void List_returns_exactly_the_keys_that_start_with_the_prefix()
    {
        string[] keys =
        [
            "branches", "heads/db", "heads/dev", "commits/0b1e-77", "nodes/3f/3f9a", "nodes/3f/3f01",
            "nodes/3e/3e77", "nodes/a0/a0ff", "nodesx", "no",
        ];
        foreach (string key in keys) Store.Put(key, Bytes(key));
        Assert.Equal(keys.Order(), Store.List("").Order());
        Assert.Equal(["nodes/3e/3e77", "nodes/3f/3f01", "nodes/3f/3f9a", "nodes/a0/a0ff"], Store.List("nodes/").Order());
        Assert.Equal(["nodes/3f/3f01", "nodes/3f/3f9a"], Store.List("nodes/3f/").Order());
        Assert.Equal(["nodes/3f/3f9a"], Store.List("nodes/3f/3f9").Order());
        Assert.Equal(["nodes/3e/3e77", "nodes/3f/3f01", "nodes/3f/3f9a"], Store.List("nodes/3").Order());
        Assert.Equal(["no", "nodes/3e/3e77", "nodes/3f/3f01", "nodes/3f/3f9a", "nodes/a0/a0ff", "nodesx"], Store.List("no").Order());
        Assert.Equal(["heads/db", "heads/dev"], Store.List("heads/").Order());
        Assert.Equal(["heads/db"], Store.List("heads/db").Order());
        Assert.Empty(Store.List("nodes/ff/"));
        Assert.Empty(Store.List("zz"));
    }

    [Fact]
    public void Keys_below_an_existing_key_are_missing()
    {
        Store.Put("heads/db", Bytes("c1"));
        Assert.Null(Store.Get("heads/db/x"));
        Assert.False(Store.Delete("heads/db/x"));
        Assert.Empty(Store.List("heads/db/"));
        Assert.False(Store.CompareAndSet("heads/db/x", Bytes("c1"), expectAbsent: false, Bytes("c2")));
        Assert.Equal(["heads/db"], Store.List(""));
    }

    [Fact]
    public void CompareAndSet_with_expectAbsent_creates_only_a_missing_key()
    {
        Assert.True(Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1")));
        Assert.False(Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c2")));
        Assert.Equal("c1", Text(Store.Get("heads/db")));
    }

    [Fact]
    public void CompareAndSet_replaces_the_value_when_the_expected_value_matches()
    {
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        Assert.True(Store.CompareAndSet("heads/db", Bytes("c1"), expectAbsent: false, Bytes("c2")));
        Assert.Equal("c2", Text(Store.Get("heads/db")));
        Assert.True(Store.CompareAndSet("heads/db", Bytes("c2"), expectAbsent: false, Bytes("a longer commit id c3")));
        Assert.Equal("a longer commit id c3", Text(Store.Get("heads/db")));
        Assert.Equal(["heads/db"], Store.List(""));
    }

    [Fact]
    public void A_mismatched_CompareAndSet_changes_nothing()
    {
        Assert.False(Store.CompareAndSet("heads/db", Bytes("c1"), expectAbsent: false, Bytes("c2")));
        Assert.False(Store.CompareAndSet("heads/db", default, expectAbsent: false, Bytes("c2")));
        Assert.Null(Store.Get("heads/db"));
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        Assert.False(Store.CompareAndSet("heads/db", Bytes("c0"), expectAbsent: false, Bytes("c2")));
        Assert.False(Store.CompareAndSet("heads/db", Bytes("c1-"), expectAbsent: false, Bytes("c2")));
        Assert.False(Store.CompareAndSet("heads/db", Bytes("c"), expectAbsent: false, Bytes("c2")));
        Assert.False(Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c2")));
        Assert.Equal("c1", Text(Store.Get("heads/db")));
        Assert.Equal(["heads/db"], Store.List(""));
    }

    [Fact]
    public void CreateThenCompareAndSet_creates_the_key_and_then_moves_the_other()
    {
        Assert.True(Store.CreateThenCompareAndSet("packs/01", Bytes("pack 1"), "heads/db", default, expectAbsent: true, Bytes("c1")));
        Assert.True(Store.CreateThenCompareAndSet("packs/02", Bytes("pack 2"), "heads/db", Bytes("c1"), expectAbsent: false, Bytes("c2")));
        Assert.Equal("pack 1", Text(Store.Get("packs/01")));
        Assert.Equal("pack 2", Text(Store.Get("packs/02")));
        Assert.Equal("c2", Text(Store.Get("heads/db")));
    }

    [Fact]
    public void CreateThenCompareAndSet_moves_nothing_when_the_key_exists_or_the_other_moved()
    {
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        Store.Put("packs/01", Bytes("somebody's pack"));
        Store.Sync();

        Assert.False(Store.CreateThenCompareAndSet("packs/01", Bytes("pack 1"), "heads/db", Bytes("c1"), expectAbsent: false, Bytes("c2")));
        Assert.Equal("somebody's pack", Text(Store.Get("packs/01")));
        Assert.Equal("c1", Text(Store.Get("heads/db")));

        Assert.False(Store.CreateThenCompareAndSet("packs/02", Bytes("pack 2"), "heads/db", Bytes("c0"), expectAbsent: false, Bytes("c2")));
        Assert.False(Store.CreateThenCompareAndSet("packs/03", Bytes("pack 3"), "heads/db", default, expectAbsent: true, Bytes("c2")));
        Assert.Equal("c1", Text(Store.Get("heads/db")));
        // The key may or may not have been created (a store may do the two apart); if it was, it holds the value.
        Assert.Contains(Text(Store.Get("packs/02")), new[] { "<null>", "pack 2" });
    }

    [Fact]
    public void Concurrent_CompareAndSet_loses_no_update()
    {
        const int Threads = 4, Increments = 40;
        Store.CompareAndSet("heads/db", default, expectAbsent: true, BitConverter.GetBytes(0));
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            for (int done = 0; done < Increments;)
            {
                byte[] current = Store.Get("heads/db")!;
                byte[] next = BitConverter.GetBytes(BitConverter.ToInt32(current) + 1);
                if (Store.CompareAndSet("heads/db", current, expectAbsent: false, next)) done++;
            }
        });
        Assert.Equal(Threads * Increments, BitConverter.ToInt32(Store.Get("heads/db")));
    }

    [Fact]
    public async Task Readers_see_whole_values_while_keys_are_replaced()
    {
        // Version v is a run of the byte v whose length depends on v, so a mix of two versions shows.
        static byte[] Version(int v) => Enumerable.Repeat((byte)v, (v % 256 % 7 * 300) + 1).ToArray();
        static bool IsWhole(byte[] value) =>
            value.Length == (value[0] % 7 * 300) + 1 && !value.AsSpan().ContainsAnyExcept(value[0]);
        Store.Put("branches", Version(0));
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Version(0));
        int torn = 0, reads = 0;
        using var done = new CancellationTokenSource();
        Task[] readers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                foreach (string key in (string[])["heads/db", "branches"])
                {
                    if (!IsWhole(Store.Get(key)!)) Interlocked.Increment(ref torn);
                    Interlocked.Increment(ref reads);
                }
            }
        }))];
        for (int v = 1; v <= 150; v++)
        {
            Store.Put("branches", Version(v));
            Assert.True(Store.CompareAndSet("heads/db", Version(v - 1), expectAbsent: false, Version(v)));
        }
        done.Cancel();
        await Task.WhenAll(readers);
        Output.WriteLine($"{reads} reads");
        Assert.Equal(0, torn);
        Assert.Equal(Version(150), Store.Get("heads/db"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/nodes")]
    [InlineData("nodes/")]
    [InlineData("nodes//3f")]
    [InlineData("Nodes/3f")]
    [InlineData("nodes/3F")]
    [InlineData("a b")]
    [InlineData("a\\b")]
    [InlineData("..")]
    [InlineData("../x")]
    [InlineData("nodes/../heads")]
    [InlineData("a..b")]
    [InlineData(".")]
    [InlineData("nodes/./3f")]
    [InlineData("x.tmp~")]
    [InlineData("caf\u00e9")]
    [InlineData("writer.lock")]
    public void Invalid_keys_are_rejected_by_every_operation(string key)
    {
        Assert.Throws<ArgumentException>(() => Store.Get(key));
        Assert.Throws<ArgumentException>(() => Store.Put(key, Bytes("v")));
        Assert.Throws<ArgumentException>(() => Store.Delete(key));
        Assert.Throws<ArgumentException>(() => Store.CompareAndSet(key, default, expectAbsent: true, Bytes("v")));
        Assert.Throws<ArgumentNullException>(() => Store.Get(null!));
        Assert.Empty(Store.List(""));
    }

    [Theory]
    [InlineData("../")]
    [InlineData("/")]
    [InlineData("/nodes")]
    [InlineData("nodes//")]
    [InlineData("Nodes")]
    [InlineData("nodes/../")]
    [InlineData("a..")]
    [InlineData("./")]
    public void Invalid_prefixes_are_rejected(string prefix)
    {
        Assert.Throws<ArgumentException>(() => Store.List(prefix));
    }

    [Fact]
    public void Keys_of_every_allowed_character_round_trip()
    {
        string[] keys = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "a.b_c-d/e.f", ".hidden", "x/.y/-z_", "v1.2/3"];
        foreach (string key in keys) Store.Put(key, Bytes(key));
        foreach (string key in keys) Assert.Equal(key, Text(Store.Get(key)));
        Assert.Equal(keys.Order(StringComparer.Ordinal), Store.List("").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Synced_writes_and_compare_and_sets_are_there_after_reopening()
    {
        Store.Put("nodes/3f/3f9a", Bytes("node"));
        Store.Put("commits/c1", Bytes("commit"));
        Store.Put("gone", Bytes("x"));
        Store.Delete("gone");
        Store.Sync();
        Store.CompareAndSet("heads/db", default, expectAbsent: true, Bytes("c1"));
        Store.Dispose();
        IKeyValueStore reopened = Reopen();
        Assert.Equal("node", Text(reopened.Get("nodes/3f/3f9a")));
        Assert.Equal("commit", Text(reopened.Get("commits/c1")));
        Assert.Equal("c1", Text(reopened.Get("heads/db")));
        Assert.Equal(["commits/c1", "heads/db", "nodes/3f/3f9a"], reopened.List("").Order());
    }

    [Fact]
    public void A_second_writer_is_refused_until_the_first_releases_its_lock()
    {
        IKeyValueStore other = Reopen();
        IDisposable first = Store.AcquireWriterLock();
        Assert.Equal("db/writer-locked", Assert.Throws<HikeException>(() => Store.AcquireWriterLock()).Code);
        Assert.Equal("db/writer-locked", Assert.Throws<HikeException>(() => other.AcquireWriterLock()).Code);
        first.Dispose();
        first.Dispose();
        using (other.AcquireWriterLock())
        {
            Assert.Equal("db/writer-locked", Assert.Throws<HikeException>(() => Store.AcquireWriterLock()).Code);
        }
        using (Store.AcquireWriterLock())
        {
            Assert.Equal("db/writer-locked", Assert.Throws<HikeException>(() => other.AcquireWriterLock()).Code);
        }
    }

    [Fact]
    public void Random_operations_match_a_dictionary_model()
    {
        var random = new Random(TestSeed.Next(Output.WriteLine));
        var model = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string[] keys = ["heads/db", "branches", "nodes/3f/3f01", "nodes/3f/3f02", "nodes/a0/a0ff", "commits/c1", "commits/c2", "x"];
        for (int step = 0; step < 300; step++)
        {
            string key = keys[random.Next(keys.Length)];
            var value = new byte[random.Next(0, 64)];
            random.NextBytes(value);
            switch (random.Next(6))
            {
                case 0 or 1:
                    Store.Put(key, value);
                    model[key] = value;
                    break;
                case 2:
                    Assert.Equal(model.Remove(key), Store.Delete(key));
                    break;
                case 3:
                    bool hasValue = model.TryGetValue(key, out byte[]? current);
                    // Half the time the right expectation, else a wrong one that must change nothing.
                    bool right = random.Next(2) == 0;
                    bool expectAbsent = right && !hasValue;
                    byte[] expected = right ? current ?? [] : [.. current ?? [], 1];
                    bool set = Store.CompareAndSet(key, expected, expectAbsent, value);
                    Assert.Equal(right, set);
                    if (set) model[key] = value;
                    break;
                case 4:
                    Store.Sync();
                    break;
                default:
                    string prefix = key[..random.Next(key.Length + 1)];
                    Assert.Equal(model.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(), Store.List(prefix).Order());
                    break;
            }
            Assert.Equal(model.GetValueOrDefault(key), Store.Get(key));
        }
        foreach (string key in keys) Assert.Equal(model.GetValueOrDefault(key), Store.Get(key));
    }
}
