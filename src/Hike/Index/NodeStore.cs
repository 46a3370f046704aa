using System.Globalization;
using Hike.Storage;

namespace Hike.Index;

/// <summary>
/// Index nodes in a key/value store: loads them by address through the bounded <see cref="NodeCache"/>,
/// and writes the unstored nodes of a tree (children before parents) under fresh random addresses.
/// Loading is thread-safe; writing is done by the single writer.
/// </summary>
internal sealed class NodeStore(IKeyValueStore store, NodeCache cache) : INodeLoader<Datom>
{
    public const string Prefix = "nodes/";

    public IKeyValueStore Store { get; } = store;

    public NodeCache Cache { get; } = cache;

    public static string Key(NodeAddress address)
    {
        var hex = address.ToString();
        return string.Concat(Prefix, hex.AsSpan(0, 2), "/", hex);
    }

    /// <summary>The address a node key names; false for keys that are not node keys.</summary>
    public static bool TryParseKey(string key, out NodeAddress address)
    {
        address = default;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length != Prefix.Length + 3 + 32) return false;
        if (!UInt128.TryParse(key.AsSpan(Prefix.Length + 3), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return false;
        address = new NodeAddress(value);
        return address.IsStored;
    }

    public Node<Datom> Load(NodeAddress address)
    {
        if (Cache.TryGet(address, out var cached)) return cached;
        var node = Read(address);
        return Cache.Add(node);
    }

    /// <summary>Reads a node from the store, bypassing the cache (for tails, which are not shared).</summary>
    public Node<Datom> Read(NodeAddress address)
    {
        var key = Key(address);
        var bytes = Store.Get(key) ?? throw new CorruptionException(key, "it is missing from the store");
        var node = NodeCodec.Decode(bytes, key);
        node.Address = address;
        return node;
    }

    /// <summary>
    /// Stores every node of <paramref name="node"/>'s subtree that has no address yet and returns the
    /// subtree's address. The written nodes go into the cache.
    /// </summary>
    public NodeAddress Write(Node<Datom> node, bool cache = true)
    {
        if (node.Address.IsStored) return node.Address;
        if (node is Branch<Datom> branch)
        {
            for (int i = 0; i < branch.Len; i++)
            {
                if (branch.Children[i] is { Address.IsStored: false } child) Write(child);
            }
        }
        var address = NewAddress();
        Store.Put(Key(address), NodeCodec.Encode(node));
        node.Address = address;
        if (cache) Cache.Add(node);
        return address;
    }

    private static NodeAddress NewAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes);
        return new NodeAddress(value == UInt128.Zero ? UInt128.One : value);
    }
}
