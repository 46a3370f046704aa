using Hike.Storage;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Storage;

public sealed class MemoryStoreTests(ITestOutputHelper output) : KeyValueStoreContract(output)
{
    private readonly MemoryStore _memory = new();

    /// <summary>Memory has nothing to reopen: every "reopening" is the same instance.</summary>
    private protected override IKeyValueStore Open() => _memory;

    [Fact]
    public void Disposing_the_store_keeps_its_values()
    {
        _memory.Put("nodes/3f/3f9a", Bytes("node"));
        _memory.Dispose();
        Assert.Equal("node", Text(_memory.Get("nodes/3f/3f9a")));
        Assert.Equal(1, _memory.Count);
    }

    [Fact]
    public void The_writer_lock_message_says_another_writer_holds_it()
    {
        using IDisposable writer = _memory.AcquireWriterLock();
        var error = Assert.Throws<HikeException>(() => _memory.AcquireWriterLock());
        Assert.Equal("The memory store is locked: another writer holds it", error.Message);
    }
}
