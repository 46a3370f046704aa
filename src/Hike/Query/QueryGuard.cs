using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Hike.Query;

/// <summary>
/// Enforces a query's <see cref="QueryLimits"/> and its caller's cancellation while it runs. The
/// engine's loops <see cref="Tick()"/> it once per row or datom and it looks at the token every
/// <see cref="CheckEvery"/> ticks, so a stop request ends the query within a fraction of a
/// millisecond of work at the cost of a counter on the hot path; relations check their size as they
/// grow (<see cref="CheckRows"/>). The running query's guard is ambient on its thread
/// (<see cref="Current"/>): built-in functions such as <c>range</c>, the regular expressions and a
/// nested <c>q</c> reach it without a context argument. Single-threaded, like the query it guards.
/// </summary>
internal sealed class QueryGuard : IDisposable
{
    /// <summary>Ticks between two looks at the token: about a millisecond of the cheapest work.</summary>
    public const int CheckEvery = 1024;

    /// <summary>The shortest time a regular expression is given to match; less budget than this left is none.</summary>
    private static readonly TimeSpan MinRegexTime = TimeSpan.FromMilliseconds(1);

    [ThreadStatic]
    private static QueryGuard? t_current;

    /// <summary>The guard outside any query: nothing stops, nothing is too large.</summary>
    private static readonly QueryGuard Unbounded = new(new QueryLimits(null, int.MaxValue) { RegexBudget = Timeout.InfiniteTimeSpan }, CancellationToken.None);

    private readonly CancellationToken _cancellation;
    private readonly CancellationTokenSource? _timer;
    private readonly long _deadline;
    private TimeSpan _regexSpent;
    private int _ticks;

    /// <summary>A guard for one run under <paramref name="limits"/>, stopped early by <paramref name="cancellation"/>; its timeout starts now.</summary>
    public QueryGuard(QueryLimits limits, CancellationToken cancellation)
    {
        Limits = limits;
        _cancellation = cancellation;
        if (limits.Timeout is { } timeout)
        {
            _deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
            _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            _timer.CancelAfter(timeout);
        }
        Token = _timer?.Token ?? cancellation;
    }

    /// <summary>The guard of the query running on this thread; outside a query, one that never stops anything.</summary>
    public static QueryGuard Current => t_current ?? Unbounded;

    public QueryLimits Limits { get; }

    /// <summary>The most rows any relation of the query may hold.</summary>
    public int MaxRows => Limits.MaxRows;

    /// <summary>Cancelled when the caller cancels or the timeout passes: for work that takes a token, such as pull.</summary>
    public CancellationToken Token { get; }

    /// <summary>What the query is doing (a clause, or the find spec), for the error that stops it.</summary>
    public object? Step { get; set; }

    /// <summary>True once the timeout has passed (and the caller has not cancelled).</summary>
    public bool TimedOut => _timer is { IsCancellationRequested: true } && !_cancellation.IsCancellationRequested;

    /// <summary>Makes this the thread's <see cref="Current"/> guard until the scope is disposed.</summary>
    public Scope Enter()
    {
        var outer = t_current;
        t_current = this;
        return new Scope(outer);
    }

    /// <summary>Counts one unit of work; every <see cref="CheckEvery"/> units, stops the query if it should stop.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Tick()
    {
        if (++_ticks >= CheckEvery) Check();
    }

    /// <summary>Counts <paramref name="units"/> units of work at once (a chunk of an index, say).</summary>
    public void Tick(int units)
    {
        _ticks += units;
        if (_ticks >= CheckEvery) Check();
    }

    /// <summary>
    /// Stops the query now if it should: <see cref="OperationCanceledException"/> when the caller
    /// cancelled, <c>query/timeout</c> when its time is up.
    /// </summary>
    public void Check()
    {
        _ticks = 0;
        if (Token.IsCancellationRequested) Stop();
    }

    /// <summary>Fails with <c>query/too-large</c> when a relation of <paramref name="rows"/> rows is over the bound.</summary>
    public void CheckRows(long rows)
    {
        if (rows > MaxRows) throw Errors.QueryTooLarge(Step, rows, MaxRows);
    }

    /// <summary>The <c>query/timeout</c> error for this query, naming what it was doing.</summary>
    public HikeException TimeoutError() => Errors.QueryTimeout(Limits.Timeout ?? TimeSpan.Zero, Step);

    /// <summary>
    /// How long the next regular expression match may take: until the query's deadline when it has a
    /// timeout, else what is left of <see cref="QueryLimits.RegexBudget"/>, which every match of the
    /// query shares. Fails when no time is left.
    /// </summary>
    public TimeSpan RegexTimeLeft(string fn)
    {
        if (Limits.Timeout is not null)
        {
            var untilDeadline = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), _deadline);
            return untilDeadline >= MinRegexTime ? untilDeadline : throw TimeoutError();
        }
        if (Limits.RegexBudget == Timeout.InfiniteTimeSpan) return Timeout.InfiniteTimeSpan;
        var left = Limits.RegexBudget - _regexSpent;
        return left >= MinRegexTime ? left : throw Errors.RegexBudget(fn, Limits.RegexBudget, Step);
    }

    /// <summary>Charges <paramref name="elapsed"/> of regular expression matching to the query's budget.</summary>
    public void ChargeRegex(TimeSpan elapsed) => _regexSpent += elapsed;

    public void Dispose() => _timer?.Dispose();

    [DoesNotReturn]
    private void Stop()
    {
        _cancellation.ThrowIfCancellationRequested();
        throw TimeoutError();
    }

    /// <summary>Puts back the guard that was current before <see cref="Enter"/>.</summary>
    public readonly struct Scope(QueryGuard? outer) : IDisposable
    {
        public void Dispose() => t_current = outer;
    }
}
