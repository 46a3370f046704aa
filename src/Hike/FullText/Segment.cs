using System.Buffers;
using System.Text;
using Hike.Index.Codec;
using Hike.Storage;

namespace Hike.FullText;

/// <summary>
/// An immutable set of full-text documents with their inverted index: the unit the engine stores
/// (one small segment per commit, merged log-structured, see <see cref="TieredMergePolicy"/>).
/// Documents are numbered densely from 0 in the order they were added; a merge keeps the order of
/// its inputs, so doc order is insertion order, which is how Lucene breaks ties in score.
/// <para>
/// Each document keeps its entity, assert tx, token counts and its value's text (UTF-8). The text is
/// kept, not a reference to the datom, so a search binds <c>?v</c> without touching the datom
/// indices, and a value of a cardinality-many attribute needs no disambiguation; it costs the text's
/// bytes once per segment generation, as Lucene's stored fields do.
/// </para>
/// <para>Layout (format version 1), varints as <see cref="ByteSink"/> writes them:</para>
/// <code>
/// byte    version                 1
/// varuint docCount, termCount, docsBytes, termsBytes, postingsBytes, positionsBytes
/// docs      per doc: zigzag entity delta, zigzag tx delta, tokens, overlaps (tokens at increment 0),
///           value length, value UTF-8
/// terms     per term, ascending by UTF-8 bytes: shared prefix length with the previous term, suffix
///           length, suffix bytes, docFreq, postings byte length, positions byte length
/// postings  per term, per doc: (docDelta &lt;&lt; 1 | freq == 1) and, when freq > 1, freq
/// positions per term, per doc, per occurrence: position delta from the previous one in the doc
/// fixed32   CRC-32C of every byte before it
/// </code>
/// Thread-safe: nothing changes after <see cref="Decode"/>.
/// </summary>
internal sealed class Segment
{
    /// <summary>The format <see cref="SegmentWriter"/> writes and <see cref="Decode"/> reads.</summary>
    public const byte FormatVersion = 1;

    private readonly byte[] _data;
    private readonly long[] _entities;
    private readonly long[] _txs;
    private readonly int[] _tokens;
    private readonly byte[] _norms;
    private readonly int[]? _overlaps;      // null when no document has a token at increment 0 (the usual case)
    private readonly int[] _valueStarts;   // offsets into _data
    private readonly int[] _valueLengths;
    private readonly byte[] _termBytes;
    private readonly int[] _termStarts;    // termCount + 1 offsets into _termBytes
    private readonly int[] _docFreqs;
    private readonly int[] _postingsStarts;   // termCount + 1 offsets into _data
    private readonly int[] _positionsStarts;  // termCount + 1 offsets into _data

    private Segment(byte[] data, long[] entities, long[] txs, int[] tokens, int[]? overlaps, byte[] norms, int[] valueStarts, int[] valueLengths,
        byte[] termBytes, int[] termStarts, int[] docFreqs, int[] postingsStarts, int[] positionsStarts, long totalTokens)
    {
        _data = data;
        _entities = entities;
        _txs = txs;
        _tokens = tokens;
        _overlaps = overlaps;
        _norms = norms;
        _valueStarts = valueStarts;
        _valueLengths = valueLengths;
        _termBytes = termBytes;
        _termStarts = termStarts;
        _docFreqs = docFreqs;
        _postingsStarts = postingsStarts;
        _positionsStarts = positionsStarts;
        TotalTokens = totalTokens;
    }

    /// <summary>Number of documents.</summary>
    public int DocCount => _entities.Length;

    /// <summary>Number of distinct terms.</summary>
    public int TermCount => _docFreqs.Length;

    /// <summary>Tokens over all documents (Lucene's <c>sumTotalTermFreq</c> for this segment).</summary>
    public long TotalTokens { get; }

    /// <summary>The bytes of the documents, terms, postings and positions sections (a merge sizes its output by them).</summary>
    public (int Docs, int Terms, int Postings, int Positions) SectionBytes { get; private init; }

    /// <summary>The encoded size in bytes, the measure <see cref="TieredMergePolicy"/> works with.</summary>
    public int ByteSize => _data.Length;

    /// <summary>The encoded bytes (what <see cref="Encode"/> returns; do not modify).</summary>
    public byte[] Encode() => _data;

    /// <summary>The entity of document <paramref name="doc"/>.</summary>
    public long Entity(int doc) => _entities[doc];

    /// <summary>The transaction that asserted document <paramref name="doc"/>'s value.</summary>
    public long Tx(int doc) => _txs[doc];

    /// <summary>The tokens of document <paramref name="doc"/>'s text.</summary>
    public int Tokens(int doc) => _tokens[doc];

    /// <summary>Document <paramref name="doc"/>'s BM25 length norm byte (<see cref="Bm25.EncodeNorm"/>).</summary>
    public byte Norm(int doc) => _norms[doc];

    /// <summary>The norms of all documents, by doc number (do not modify).</summary>
    internal byte[] Norms => _norms;

    /// <summary>Document <paramref name="doc"/>'s value (decoded on each call).</summary>
    public string Value(int doc) => Encoding.UTF8.GetString(_data, _valueStarts[doc], _valueLengths[doc]);

    /// <summary>Term number <paramref name="term"/>'s UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> Term(int term) => _termBytes.AsSpan(_termStarts[term], _termStarts[term + 1] - _termStarts[term]);

    /// <summary>How many documents hold term number <paramref name="term"/>.</summary>
    public int DocFreq(int term) => _docFreqs[term];

    /// <summary>The number of <paramref name="term"/> (UTF-8) by binary search over the sorted dictionary, or -1. O(log terms).</summary>
    public int FindTerm(ReadOnlySpan<byte> term)
    {
        int lo = 0, hi = _docFreqs.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = Term(mid).SequenceCompareTo(term);
            if (c == 0) return mid;
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>The terms that start with <paramref name="prefix"/> (UTF-8): numbers [start, end). O(log terms).</summary>
    public (int Start, int End) PrefixRange(ReadOnlySpan<byte> prefix)
    {
        int start = LowerBound(prefix);
        // The matching terms are contiguous; find the first that no longer starts with the prefix.
        int lo = start, hi = _docFreqs.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Term(mid).StartsWith(prefix)) lo = mid + 1;
            else hi = mid;
        }
        return (start, lo);
    }

    private int LowerBound(ReadOnlySpan<byte> key)
    {
        int lo = 0, hi = _docFreqs.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Term(mid).SequenceCompareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>A cursor over term number <paramref name="term"/>'s postings.</summary>
    public PostingsCursor Postings(int term) =>
        new(_data, _postingsStarts[term], _postingsStarts[term + 1], _positionsStarts[term], _positionsStarts[term + 1], DocCount);

    /// <summary>
    /// Reads a segment <see cref="Encode"/> wrote. Damaged or malformed bytes (a wrong checksum, a
    /// length that does not add up, terms out of order) raise <see cref="MalformedDataException"/>,
    /// which the engine reports as <c>storage/corrupt</c> naming the key it read. O(bytes).
    /// </summary>
    public static Segment Decode(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.Length < 5) throw new MalformedDataException($"full-text segment: {span.Length} bytes is too short");
        uint stored = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span[^4..]);
        if (Crc32C.Compute(span[..^4]) != stored) throw new MalformedDataException("full-text segment: checksum mismatch");
        return Parse(bytes.ToArray());
    }

    /// <summary>The segment <see cref="SegmentWriter.ToArray"/> just wrote, taking <paramref name="data"/> over (no copy, no second checksum).</summary>
    internal static Segment Written(byte[] data) => Parse(data);

    private static Segment Parse(byte[] data)
    {
        if (data[0] != FormatVersion) throw new MalformedDataException($"full-text segment: format version {data[0]}, this Hike reads {FormatVersion}");
        var source = new ByteSource(data.AsSpan(1, data.Length - 5));
        int docCount = source.ReadCount(5);
        int termCount = source.ReadCount(5);
        int docsBytes = Length(ref source), termsBytes = Length(ref source), postingsBytes = Length(ref source), positionsBytes = Length(ref source);
        int docsAt = 1 + source.Position;
        if ((long)docsBytes + termsBytes + postingsBytes + positionsBytes != source.Remaining)
        {
            throw new MalformedDataException("full-text segment: section lengths do not add up to its size");
        }
        int termsAt = docsAt + docsBytes, postingsAt = termsAt + termsBytes, positionsAt = postingsAt + postingsBytes;

        var entities = new long[docCount];
        var txs = new long[docCount];
        var tokens = new int[docCount];
        var norms = new byte[docCount];
        int[]? overlapCounts = null;
        var valueStarts = new int[docCount];
        var valueLengths = new int[docCount];
        long entity = 0, tx = 0, totalTokens = 0;
        var docs = new ByteSource(data.AsSpan(docsAt, docsBytes));
        for (int d = 0; d < docCount; d++)
        {
            entity += docs.ReadVarInt64();
            tx += docs.ReadVarInt64();
            int t = (int)docs.ReadVarUInt32();
            int overlaps = (int)docs.ReadVarUInt32();
            if (t < 0 || overlaps < 0 || overlaps > t) throw docs.Malformed($"full-text segment: doc {d} has {t} tokens and {overlaps} overlaps");
            int valueLength = docs.ReadCount(1);
            valueStarts[d] = docsAt + docs.Position;
            valueLengths[d] = valueLength;
            docs.ReadBytes(valueLength);
            entities[d] = entity;
            txs[d] = tx;
            tokens[d] = t;
            if (overlaps > 0) (overlapCounts ??= new int[docCount])[d] = overlaps;
            norms[d] = Bm25.EncodeNorm(t - overlaps);
            totalTokens += t;
        }
        if (!docs.IsEnd) throw new MalformedDataException("full-text segment: bytes left after the documents");

        var terms = new ByteSource(data.AsSpan(termsAt, termsBytes));
        var termStarts = new int[termCount + 1];
        var docFreqs = new int[termCount];
        var postingsStarts = new int[termCount + 1];
        var positionsStarts = new int[termCount + 1];
        var termBytes = new byte[Math.Max(termsBytes, 16)];
        int termBytesLength = 0, previousStart = 0, previousLength = 0;
        int postingsEnd = postingsAt, positionsEnd = positionsAt;
        for (int t = 0; t < termCount; t++)
        {
            int shared = (int)terms.ReadVarUInt32();
            int suffix = terms.ReadCount(1);
            if (shared > previousLength) throw terms.Malformed($"full-text segment: term {t} shares {shared} bytes with a term of {previousLength}");
            int length = shared + suffix;
            if (termBytesLength + length > termBytes.Length) Array.Resize(ref termBytes, Math.Max(termBytes.Length * 2, termBytesLength + length));
            termBytes.AsSpan(previousStart, shared).CopyTo(termBytes.AsSpan(termBytesLength));
            terms.ReadBytes(suffix).CopyTo(termBytes.AsSpan(termBytesLength + shared));
            if (t > 0 && termBytes.AsSpan(termBytesLength, length).SequenceCompareTo(termBytes.AsSpan(previousStart, previousLength)) <= 0)
            {
                throw terms.Malformed($"full-text segment: term {t} is not after its predecessor");
            }
            termStarts[t] = termBytesLength;
            previousStart = termBytesLength;
            previousLength = length;
            termBytesLength += length;
            int df = (int)terms.ReadVarUInt32();
            if (df <= 0 || df > docCount) throw terms.Malformed($"full-text segment: term {t} in {df} of {docCount} documents");
            docFreqs[t] = df;
            postingsStarts[t] = postingsEnd;
            positionsStarts[t] = positionsEnd;
            long nextPostings = postingsEnd + (long)terms.ReadVarUInt32(), nextPositions = positionsEnd + (long)terms.ReadVarUInt32();
            if (nextPostings <= postingsEnd || nextPostings > postingsAt + postingsBytes || nextPositions <= positionsEnd || nextPositions > positionsAt + positionsBytes)
            {
                throw terms.Malformed($"full-text segment: term {t}'s postings are empty or run past their section");
            }
            postingsEnd = (int)nextPostings;
            positionsEnd = (int)nextPositions;
        }
        termStarts[termCount] = termBytesLength;
        postingsStarts[termCount] = postingsEnd;
        positionsStarts[termCount] = positionsEnd;
        if (!terms.IsEnd || postingsEnd != postingsAt + postingsBytes || positionsEnd != positionsAt + positionsBytes)
        {
            throw new MalformedDataException("full-text segment: the terms do not account for every posting byte");
        }
        Array.Resize(ref termBytes, termBytesLength);
        return new Segment(data, entities, txs, tokens, overlapCounts, norms, valueStarts, valueLengths, termBytes, termStarts, docFreqs, postingsStarts, positionsStarts, totalTokens)
        {
            SectionBytes = (docsBytes, termsBytes, postingsBytes, positionsBytes),
        };
    }

    private static int Length(ref ByteSource source) => source.ReadCount(1);

    /// <summary>
    /// One segment holding the documents of <paramref name="segments"/> for which
    /// <paramref name="keep"/>(segment index, doc) is true, in input order (segments in the order
    /// given, each's docs in order), so ties in score still fall in insertion order. Terms left with
    /// no document are dropped. O(total bytes + terms · log). Cancellation is checked every few thousand terms.
    /// </summary>
    public static Segment Merge(IReadOnlyList<Segment> segments, Func<int, int, bool> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(keep);
        using var writer = new SegmentWriter(
            SumCapped(segments, s => s.SectionBytes.Docs), SumCapped(segments, s => s.SectionBytes.Terms),
            SumCapped(segments, s => s.SectionBytes.Postings), SumCapped(segments, s => s.SectionBytes.Positions));
        // Per input, its docs' new numbers; an input that keeps every doc is shifted as a whole by its
        // base (-1 otherwise), so its postings are copied rather than decoded and written again.
        var maps = new int[segments.Count][];
        var bases = new int[segments.Count];
        for (int s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var map = maps[s] = new int[segment.DocCount];
            bases[s] = writer.DocCount;
            for (int d = 0; d < segment.DocCount; d++)
            {
                if (!keep(s, d))
                {
                    map[d] = -1;
                    bases[s] = -1;
                    continue;
                }
                var length = new FieldLength(segment._tokens[d], segment._tokens[d] - OverlapsOf(segment, d));
                map[d] = writer.AddDocument(segment._entities[d], segment._txs[d], length, segment._data.AsSpan(segment._valueStarts[d], segment._valueLengths[d]));
            }
        }

        var next = new int[segments.Count];
        int[] positions = ArrayPool<int>.Shared.Rent(64);
        try
        {
            for (int written = 0; ; written++)
            {
                if ((written & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
                // The smallest current term over the inputs (few inputs: a linear scan).
                int least = -1;
                for (int s = 0; s < segments.Count; s++)
                {
                    if (next[s] >= segments[s].TermCount) continue;
                    if (least < 0 || segments[s].Term(next[s]).SequenceCompareTo(segments[least].Term(next[least])) < 0) least = s;
                }
                if (least < 0) break;
                var term = segments[least].Term(next[least]);
                bool begun = false;
                for (int s = 0; s < segments.Count; s++)
                {
                    if (next[s] >= segments[s].TermCount || !segments[s].Term(next[s]).SequenceEqual(term)) continue;
                    if (bases[s] >= 0)
                    {
                        if (!begun)
                        {
                            writer.BeginTerm(term);
                            begun = true;
                        }
                        segments[s].CopyPostings(next[s], writer, bases[s]);
                        continue;
                    }
                    var cursor = segments[s].Postings(next[s]);
                    var map = maps[s];
                    while (cursor.MoveNext())
                    {
                        int to = map[cursor.Doc];
                        if (to < 0) continue;
                        if (positions.Length < cursor.Freq)
                        {
                            ArrayPool<int>.Shared.Return(positions);
                            positions = ArrayPool<int>.Shared.Rent(cursor.Freq);
                        }
                        cursor.ReadPositions(positions);
                        if (!begun)
                        {
                            writer.BeginTerm(term);
                            begun = true;
                        }
                        writer.AddPosting(to, positions.AsSpan(0, cursor.Freq));
                    }
                }
                if (begun) writer.EndTerm();
                for (int s = 0; s < segments.Count; s++)
                {
                    if (next[s] < segments[s].TermCount && s != least && segments[s].Term(next[s]).SequenceEqual(term)) next[s]++;
                }
                next[least]++;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(positions);
        }
        return Written(writer.ToArray());
    }

    /// <summary>A section's bytes over all inputs (what a merge writes at most), capped at what one array can hold.</summary>
    private static int SumCapped(IReadOnlyList<Segment> segments, Func<Segment, int> bytes) =>
        (int)Math.Min(segments.Sum(s => (long)bytes(s)) + 16, Array.MaxLength / 4);

    /// <summary>
    /// Term number <paramref name="term"/>'s postings appended to <paramref name="writer"/>'s current
    /// term with every doc moved up by <paramref name="docBase"/>: the doc deltas are walked to find
    /// the last doc (and checked), the bytes copied. O(postings bytes).
    /// </summary>
    private void CopyPostings(int term, SegmentWriter writer, int docBase)
    {
        int start = _postingsStarts[term], end = _postingsStarts[term + 1];
        int pos = start;
        uint first = Varint.Read32(_data, ref pos, end);
        int afterFirst = pos;
        int doc = (int)(first >> 1) - 1;
        if (doc < 0) Varint.Throw($"posting for doc {doc} before offset {pos}");
        if ((first & 1) == 0) Varint.Read32(_data, ref pos, end);
        int firstDoc = doc;
        for (int i = 1; i < _docFreqs[term]; i++)
        {
            uint code = Varint.Read32(_data, ref pos, end);
            if (code >> 1 == 0) Varint.Throw($"posting out of order before offset {pos}");
            doc += (int)(code >> 1);
            if ((code & 1) == 0) Varint.Read32(_data, ref pos, end);
        }
        if (pos != end || doc >= DocCount) Varint.Throw($"term {term}'s postings do not match its document frequency");
        writer.CopyPostings(firstDoc + docBase, (first & 1) != 0, _data.AsSpan(afterFirst, end - afterFirst),
            _data.AsSpan(_positionsStarts[term], _positionsStarts[term + 1] - _positionsStarts[term]), _docFreqs[term], doc + docBase);
    }

    private static int OverlapsOf(Segment segment, int doc) => segment._overlaps is null ? 0 : segment._overlaps[doc];
}
