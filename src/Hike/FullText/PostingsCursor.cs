using System.Runtime.CompilerServices;

namespace Hike.FullText;

/// <summary>
/// Walks one term's postings in a <see cref="Segment"/>: documents in ascending order with the term's
/// frequency in each and, when asked for, its positions. A mutable struct kept in a field of its
/// scorer, so walking allocates nothing. Malformed bytes raise <c>MalformedDataException</c>.
/// </summary>
internal struct PostingsCursor
{
    private readonly byte[] _data;
    private readonly int _end;
    private readonly int _positionsEnd;
    private readonly int _docCount;
    private int _pos;
    private int _positionsPos;
    private int _unreadPositions;

    /// <summary>The current document; -1 before the first <see cref="MoveNext"/>, <see cref="int.MaxValue"/> after the last.</summary>
    public int Doc;

    /// <summary>The term's frequency in <see cref="Doc"/>.</summary>
    public int Freq;

    internal PostingsCursor(byte[] data, int start, int end, int positionsStart, int positionsEnd, int docCount)
    {
        _data = data;
        _pos = start;
        _end = end;
        _positionsPos = positionsStart;
        _positionsEnd = positionsEnd;
        _docCount = docCount;
        Doc = -1;
    }

    /// <summary>Moves to the next document; false (and <see cref="Doc"/> = <see cref="int.MaxValue"/>) at the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MoveNext()
    {
        if (_pos >= _end)
        {
            Doc = int.MaxValue;
            return false;
        }
        uint code = Varint.Read32(_data, ref _pos, _end);
        int freq = (code & 1) != 0 ? 1 : (int)Varint.Read32(_data, ref _pos, _end);
        int doc = Doc + (int)(code >> 1);
        if (doc <= Doc || doc >= _docCount || freq <= 0) Varint.Throw($"posting for doc {doc} (freq {freq}) out of order or range before offset {_pos}");
        _unreadPositions += Freq;
        Doc = doc;
        Freq = freq;
        return true;
    }

    /// <summary>Moves to the first document at or after <paramref name="target"/>; false at the end.</summary>
    public bool Advance(int target)
    {
        while (Doc < target)
        {
            if (!MoveNext()) return false;
        }
        return Doc != int.MaxValue;
    }

    /// <summary>
    /// The term's <see cref="Freq"/> positions in <see cref="Doc"/>, ascending, into
    /// <paramref name="into"/> (at least <see cref="Freq"/> long). Call at most once per document.
    /// </summary>
    public void ReadPositions(Span<int> into)
    {
        // Skip the positions of the documents passed over (Freq of the current one is not counted yet).
        for (int i = 0; i < _unreadPositions; i++) Varint.Read32(_data, ref _positionsPos, _positionsEnd);
        _unreadPositions = -Freq;
        int position = 0;
        for (int i = 0; i < Freq; i++)
        {
            position += (int)Varint.Read32(_data, ref _positionsPos, _positionsEnd);
            into[i] = position;
        }
    }
}
