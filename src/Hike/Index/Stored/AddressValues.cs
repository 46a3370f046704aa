using Hike.Index.Tree;

namespace Hike.Index.Stored;

/// <summary>An address as a stored value, as commit records and index roots keep them: 16 bytes (little-endian), or nil for none.</summary>
internal static class AddressValues
{
    public static object? ToValue(NodeAddress address)
    {
        if (!address.IsStored) return null;
        var bytes = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(bytes, address.Value);
        return bytes;
    }

    /// <summary>The address a stored value names; anything but 16 bytes or nil is an <see cref="InvalidCastException"/> (the caller reports the object as corrupt).</summary>
    public static NodeAddress ToAddress(object? value) => value switch
    {
        null => default,
        byte[] { Length: 16 } bytes => new NodeAddress(System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes)),
        _ => throw new InvalidCastException("an address is 16 bytes"),
    };
}
