namespace Hike.Index.Codec;

/// <summary>
/// Encoded bytes do not follow the format: a read ran past the end, a varint overflowed, a length or
/// tag is out of range. Raised by <see cref="ByteSource"/> and the codecs, which know no storage key;
/// the caller that read the bytes under a key turns it into a <see cref="CorruptionException"/>
/// naming that key. Never escapes the engine.
/// </summary>
internal sealed class MalformedDataException : Exception
{
    /// <summary>Creates the exception; <paramref name="message"/> says what was wrong and where.</summary>
    public MalformedDataException(string message)
        : base(message)
    {
    }
}
