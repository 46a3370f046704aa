using System.Text;
using Hike.Index.Codec;
using Hike.Storage;

namespace Hike.FullText;

/// <summary>
/// Writes the bytes of a <see cref="Segment"/> (the layout is described there): documents first, in
/// doc-number order, then terms in ascending UTF-8 byte order, each with its postings. Used by
/// <see cref="SegmentBuilder"/> and <see cref="Segment.Merge"/>. Not thread-safe; one use.
/// </summary>
internal sealed class SegmentWriter : IDisposable
{
    private readonly ByteSink _docs;
    private readonly ByteSink _terms;
    private readonly ByteSink _postings;
    private readonly ByteSink _positions;
    private int _docCount;
    private int _termCount;
    private long _lastEntity;
    private long _lastTx;
    private byte[] _lastTerm = new byte[64];
    private int _lastTermLength = -1;

    // The term being written.
    private int _termDocs;
    private int _lastDoc;
    private int _termPostingsStart;
    private int _termPositionsStart;

    /// <summary>A writer whose sections start with room for the bytes given (they grow as needed).</summary>
    public SegmentWriter(int docsBytes = 1024, int termsBytes = 1024, int postingsBytes = 1024, int positionsBytes = 1024)
    {
        _docs = new ByteSink(docsBytes);
        _terms = new ByteSink(termsBytes);
        _postings = new ByteSink(postingsBytes);
        _positions = new ByteSink(positionsBytes);
    }

    /// <summary>Documents written so far.</summary>
    public int DocCount => _docCount;

    /// <summary>Appends a document; its doc number is the number written before it.</summary>
    public int AddDocument(long entity, long tx, FieldLength length, ReadOnlySpan<byte> valueUtf8) => AddDocument(entity, tx, length, valueUtf8, valueUtf8.Length);

    /// <summary>Appends a document's fields and its value's length; the value's bytes follow (<paramref name="valueUtf8"/>, or written by the caller when that is empty).</summary>
    private int AddDocument(long entity, long tx, FieldLength length, ReadOnlySpan<byte> valueUtf8, int valueLength)
    {
        if (_termCount > 0) throw new InvalidOperationException("Documents come before terms");
        _docs.WriteVarInt64(entity - _lastEntity);
        _docs.WriteVarInt64(tx - _lastTx);
        _docs.WriteVarUInt64((ulong)length.Tokens);
        _docs.WriteVarUInt64((ulong)(length.Tokens - length.NormLength));
        _docs.WriteVarUInt64((ulong)valueLength);
        _docs.WriteBytes(valueUtf8);
        _lastEntity = entity;
        _lastTx = tx;
        return _docCount++;
    }

    /// <summary>Appends a document whose value is <paramref name="value"/>, encoded as UTF-8 straight into the segment (a lone surrogate becomes U+FFFD, as in <see cref="Utf8"/>).</summary>
    public int AddDocument(long entity, long tx, FieldLength length, string value)
    {
        int bytes = Encoding.UTF8.GetByteCount(value);
        int doc = AddDocument(entity, tx, length, ReadOnlySpan<byte>.Empty, bytes);
        _docs.Advance(Encoding.UTF8.GetBytes(value, _docs.GetSpan(bytes)));
        return doc;
    }

    /// <summary>Starts a term; terms come in strictly ascending byte order, each followed by its postings and <see cref="EndTerm"/>.</summary>
    public void BeginTerm(ReadOnlySpan<byte> term)
    {
        if (_lastTermLength >= 0 && term.SequenceCompareTo(_lastTerm.AsSpan(0, _lastTermLength)) <= 0)
        {
            throw new InvalidOperationException("Terms must be written in ascending order, each once");
        }
        int shared = term.CommonPrefixLength(_lastTerm.AsSpan(0, Math.Max(_lastTermLength, 0)));
        _terms.WriteVarUInt64((ulong)shared);
        _terms.WriteVarUInt64((ulong)(term.Length - shared));
        _terms.WriteBytes(term[shared..]);
        if (_lastTerm.Length < term.Length) _lastTerm = new byte[Math.Max(term.Length, _lastTerm.Length * 2)];
        term.CopyTo(_lastTerm);
        _lastTermLength = term.Length;
        _termDocs = 0;
        _lastDoc = -1;
        _termPostingsStart = _postings.Length;
        _termPositionsStart = _positions.Length;
    }

    /// <summary>
    /// One document of the current term, in ascending doc order, with the term's positions in it
    /// (ascending, at least one). A frequency of 1 shares its byte with the doc delta (Lucene's trick).
    /// </summary>
    public void AddPosting(int doc, ReadOnlySpan<int> positions)
    {
        if (doc <= _lastDoc || (uint)doc >= (uint)_docCount) throw new InvalidOperationException($"Posting for doc {doc} out of order or range");
        if (positions.IsEmpty) throw new InvalidOperationException("A posting needs a position");
        ulong delta = (ulong)(doc - _lastDoc);
        if (positions.Length == 1)
        {
            _postings.WriteVarUInt64((delta << 1) | 1);
        }
        else
        {
            _postings.WriteVarUInt64(delta << 1);
            _postings.WriteVarUInt64((ulong)positions.Length);
        }
        int last = 0;
        foreach (int p in positions)
        {
            _positions.WriteVarUInt64((ulong)(p - last));
            last = p;
        }
        _lastDoc = doc;
        _termDocs++;
    }

    /// <summary>
    /// The postings of a term as another segment wrote them, every doc moved up by the same amount:
    /// only the first doc's delta is written afresh, the other postings bytes and all the positions are
    /// copied as they are (positions do not depend on doc numbers). <paramref name="firstDoc"/> and
    /// <paramref name="lastDoc"/> are the run's first and last doc numbers here.
    /// </summary>
    public void CopyPostings(int firstDoc, bool firstFreqIsOne, ReadOnlySpan<byte> postingsAfterFirstDoc, ReadOnlySpan<byte> positions, int docs, int lastDoc)
    {
        if (firstDoc <= _lastDoc || lastDoc < firstDoc || lastDoc >= _docCount || docs <= 0) throw new InvalidOperationException($"Postings for docs {firstDoc}..{lastDoc} out of order or range");
        ulong delta = (ulong)(firstDoc - _lastDoc);
        _postings.WriteVarUInt64((delta << 1) | (firstFreqIsOne ? 1UL : 0UL));
        _postings.WriteBytes(postingsAfterFirstDoc);
        _positions.WriteBytes(positions);
        _lastDoc = lastDoc;
        _termDocs += docs;
    }

    /// <summary>Ends the current term, which must have had a posting (a merge leaves out a term that keeps no document before it begins it).</summary>
    public void EndTerm()
    {
        if (_termDocs == 0) throw new InvalidOperationException("A term needs at least one posting");
        _terms.WriteVarUInt64((ulong)_termDocs);
        _terms.WriteVarUInt64((ulong)(_postings.Length - _termPostingsStart));
        _terms.WriteVarUInt64((ulong)(_positions.Length - _termPositionsStart));
        _termCount++;
    }

    /// <summary>The segment's bytes: header, sections and a CRC-32C of everything before it, written straight into one exact-size array.</summary>
    public byte[] ToArray()
    {
        using var header = new ByteSink(64);
        header.WriteByte(Segment.FormatVersion);
        header.WriteVarUInt64((ulong)_docCount);
        header.WriteVarUInt64((ulong)_termCount);
        header.WriteVarUInt64((ulong)_docs.Length);
        header.WriteVarUInt64((ulong)_terms.Length);
        header.WriteVarUInt64((ulong)_postings.Length);
        header.WriteVarUInt64((ulong)_positions.Length);
        var all = GC.AllocateUninitializedArray<byte>(header.Length + _docs.Length + _terms.Length + _postings.Length + _positions.Length + 4);
        int at = 0;
        foreach (var section in (ReadOnlySpan<ByteSink>)[header, _docs, _terms, _postings, _positions])
        {
            section.WrittenSpan.CopyTo(all.AsSpan(at));
            at += section.Length;
        }
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(all.AsSpan(at), Crc32C.Compute(all.AsSpan(0, at)));
        return all;
    }

    /// <summary>UTF-8 of a term or value; a lone surrogate becomes U+FFFD on both the index and query side.</summary>
    public static byte[] Utf8(ReadOnlySpan<char> text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    public void Dispose()
    {
        _docs.Dispose();
        _terms.Dispose();
        _postings.Dispose();
        _positions.Dispose();
    }
}
