using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Hike.Cli.Inputs;

/// <summary>
/// Reads the command line's text inputs (EDN and JSON files, standard input) strictly as UTF-8: a byte
/// sequence that is not UTF-8 is a <c>cli/encoding</c> error naming the source and the byte offset,
/// where a lenient decoder would store U+FFFD in its place. A leading byte order mark is dropped.
/// </summary>
internal static class StrictUtf8
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The text of the file at <paramref name="path"/>; a missing or unreadable file is a <c>cli/file</c> error.</summary>
    public static string ReadFile(string path)
    {
        byte[] bytes = InputFiles.ReadBytes(path);
        return Decode(bytes, path);
    }

    /// <summary>
    /// <paramref name="bytes"/> as text. Uses <see cref="Encoding.UTF8"/> only once the bytes are known
    /// to be valid, so nothing is replaced.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        int start = bytes.StartsWith(Bom) ? Bom.Length : 0;
        var text = bytes[start..];
        if (!Utf8.IsValid(text))
        {
            var chars = new char[text.Length];
            Utf8.ToUtf16(text, chars, out int valid, out _, replaceInvalidSequences: false);
            throw CliErrors.Encoding(source, start + valid);
        }
        return Encoding.UTF8.GetString(text);
    }

    /// <summary>A reader of <paramref name="stream"/> (owned, disposed with it) that fails at the first byte that is not UTF-8.</summary>
    public static StreamReader Reader(Stream stream, string source) =>
        new(new CheckedStream(stream, source), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);

    /// <summary>
    /// Passes a stream's bytes through, checking them as UTF-8 on the way (a sequence split between
    /// two reads is checked once both halves have arrived), so the reader above it never has to
    /// replace a character. Read-only, forward-only.
    /// </summary>
    private sealed class CheckedStream(Stream inner, string source) : Stream
    {
        private readonly byte[] _pending = new byte[4];
        private int _pendingCount;
        private long _position;
        private char[] _scratch = [];

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            Check(buffer[..n], final: n == 0 && buffer.Length > 0);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        /// <summary>Checks <paramref name="bytes"/> after the incomplete sequence the last read ended with; <paramref name="final"/> at the end of the input.</summary>
        private void Check(ReadOnlySpan<byte> bytes, bool final)
        {
            byte[]? rented = null;
            var span = bytes;
            if (_pendingCount > 0)
            {
                rented = ArrayPool<byte>.Shared.Rent(_pendingCount + bytes.Length);
                _pending.AsSpan(0, _pendingCount).CopyTo(rented);
                bytes.CopyTo(rented.AsSpan(_pendingCount));
                span = rented.AsSpan(0, _pendingCount + bytes.Length);
            }
            long start = _position - _pendingCount;
            try
            {
                if (_scratch.Length < span.Length) _scratch = new char[Math.Max(span.Length, 1024)];
                var status = Utf8.ToUtf16(span, _scratch, out int read, out _, replaceInvalidSequences: false, isFinalBlock: final);
                if (status == System.Buffers.OperationStatus.InvalidData) throw CliErrors.Encoding(source, start + read);
                // What is left unread is the start of a sequence the next read completes (three bytes at most).
                _pendingCount = span.Length - read;
                span[read..].CopyTo(_pending);
            }
            finally
            {
                if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
