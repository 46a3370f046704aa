using System.Buffers;
using Lucene.Net.Analysis;

namespace Hike.FullText;

/// <summary>
/// A transaction's full-text values, analysed by two threads at once ahead of the segment build that
/// indexes them: the submitting thread starts (<see cref="Run"/>) as soon as the transaction is queued,
/// while the writer works through the datoms; the writer joins in when it gets to the index
/// (<see cref="Take"/>), and then its <see cref="SegmentBuilder"/> takes the tokens found here instead
/// of analysing again. A value the forecast missed the builder analyses itself, so the segment is the
/// same either way.
/// <para>
/// Each thread claims values one at a time (an interlocked counter) and records their tokens as
/// (term, position) in a part of its own, terms numbered per part in the order first seen; so the
/// threads share nothing but the counter and each value's slot. <see cref="Take"/> returns once every
/// value is analysed and the submitting thread has stopped: after it, nothing here changes.
/// Thread-safe in that protocol (one <see cref="Run"/>, one <see cref="Take"/>).
/// </para>
/// </summary>
internal sealed class AnalyzedValues
{
    private const int NotStarted = 0, Running = 1, Stopped = 2;

    private readonly (Analyzer Analyzer, string Value)[] _work;
    private readonly Dictionary<(Analyzer Analyzer, string Value), int> _slots = [];
    private readonly Entry[] _entries;
    private readonly Part[] _parts = [new(), new()];   // the submitting thread's, the writer's
    private int _next;
    private int _submitter;
    private bool _taken;
    private bool _released;
    private readonly ManualResetEventSlim _submitterStopped = new(false);

    /// <summary>Values to analyse, each with the analyzer of its attribute (a value given twice is analysed once).</summary>
    public AnalyzedValues(IEnumerable<(Analyzer Analyzer, string Value)> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var distinct = new List<(Analyzer, string)>();
        foreach (var item in work)
        {
            if (_slots.TryAdd(item, distinct.Count)) distinct.Add(item);
        }
        _work = [.. distinct];
        _entries = new Entry[_work.Length];
    }

    /// <summary>One analysed value: its tokens at [Start, Start + Count) of part <see cref="Part"/>, and what analysis counted; <see cref="Part"/> is -1 when analysis failed.</summary>
    public readonly record struct Entry(int Part, int Start, int Count, FieldLength Length);

    /// <summary>The parts tokens are recorded in: 0 is the submitting thread's, 1 the writer's.</summary>
    public int PartCount => _parts.Length;

    /// <summary>Distinct terms of part <paramref name="part"/>; its term numbers run from 0 to this.</summary>
    public int TermCount(int part) => _parts[part].TermStrings.Count;

    /// <summary>The submitting thread's share: analyses values until none is left, unless <see cref="Take"/> came first.</summary>
    public void Run()
    {
        if (Interlocked.CompareExchange(ref _submitter, Running, NotStarted) != NotStarted) return;
        try
        {
            Analyse(_parts[0], 0);
        }
        finally
        {
            Volatile.Write(ref _submitter, Stopped);
            _submitterStopped.Set();
        }
    }

    /// <summary>The writer's share: analyses the values left, waits for the submitting thread's last one, and hands over the whole.</summary>
    public AnalyzedValues Take()
    {
        if (_taken) return this;
        Analyse(_parts[1], 1);
        if (Interlocked.CompareExchange(ref _submitter, Stopped, NotStarted) == Running) _submitterStopped.Wait();
        _submitterStopped.Dispose();
        _taken = true;
        return this;
    }

    /// <summary>
    /// Returns the token buffers to the pool once the index no longer reads them; only after
    /// <see cref="Take"/> (else nothing happens). After it nothing is found here, so a transaction run
    /// again analyses its values itself.
    /// </summary>
    public void Release()
    {
        if (!_taken || _released) return;
        _released = true;
        foreach (var part in _parts)
        {
            if (part.Tokens.Length == 0) continue;
            ArrayPool<int>.Shared.Return(part.Tokens);
            part.Tokens = [];
            part.TokenCount = 0;
        }
    }

    /// <summary>The analysis of <paramref name="value"/> by <paramref name="analyzer"/>, when it was done here. Only after <see cref="Take"/>.</summary>
    public bool TryGet(Analyzer analyzer, string value, out Entry entry)
    {
        entry = default;
        if (_released || !_slots.TryGetValue((analyzer, value), out int slot)) return false;
        entry = _entries[slot];
        return entry.Part >= 0;
    }

    /// <summary>Token <paramref name="index"/> of part <paramref name="part"/>: its term number and position.</summary>
    public (int Term, int Position) Token(int part, int index) => (_parts[part].Tokens[2 * index], _parts[part].Tokens[2 * index + 1]);

    /// <summary>The text of term number <paramref name="term"/> of part <paramref name="part"/>.</summary>
    public string Term(int part, int term) => _parts[part].TermStrings[term];

    private void Analyse(Part part, int partNumber)
    {
        for (int slot; (slot = Interlocked.Increment(ref _next) - 1) < _work.Length;)
        {
            var (analyzer, value) = _work[slot];
            int start = part.TokenCount;
            var sink = new Sink(part);
            try
            {
                var length = FullTextAnalyzers.Analyze(analyzer, value, ref sink);
                _entries[slot] = new Entry(partNumber, start, part.TokenCount - start, length);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The builder analyses this value again and reports the failure on the transaction.
                part.TokenCount = start;
                _entries[slot] = new Entry(-1, 0, 0, default);
            }
        }
    }

    /// <summary>What one thread recorded.</summary>
    private sealed class Part
    {
        public readonly Dictionary<string, int> Terms = new(StringComparer.Ordinal);
        public readonly List<string> TermStrings = [];
        public int[] Tokens = ArrayPool<int>.Shared.Rent(2 * 256);   // (term, position) per token
        public int TokenCount;
    }

    private readonly struct Sink(Part part) : ITermSink
    {
        public void Add(ReadOnlySpan<char> term, int position)
        {
            var lookup = part.Terms.GetAlternateLookup<ReadOnlySpan<char>>();
            if (!lookup.TryGetValue(term, out int number))
            {
                number = part.TermStrings.Count;
                var text = term.ToString();
                part.Terms[text] = number;
                part.TermStrings.Add(text);
            }
            PooledInts.EnsureCapacity(ref part.Tokens, 2 * part.TokenCount, 2 * (part.TokenCount + 1));
            int at = 2 * part.TokenCount++;
            part.Tokens[at] = number;
            part.Tokens[at + 1] = position;
        }
    }
}
