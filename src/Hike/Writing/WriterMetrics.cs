using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Hike.Writing;

/// <summary>
/// What writers commit, through <see cref="System.Diagnostics.Metrics"/> (meter <c>Hike</c>), for any
/// listener (<c>dotnet-counters monitor --counters Hike</c>, OpenTelemetry, a server's Prometheus
/// endpoint): commits, the transactions in them, and how long writing a commit took. Costs nothing
/// measurable when nobody listens.
/// </summary>
internal static class WriterMetrics
{
    public const string MeterName = "Hike";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Commits = Meter.CreateCounter<long>("hike.commits", description: "Commits written");
    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>("hike.transactions", description: "Transactions committed");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("hike.commit.duration", unit: "ms", description: "How long writing a commit took (its pack, sync and head)");

    /// <summary>A commit of <paramref name="transactions"/> transactions was written in the time since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void Committed(int transactions, long started)
    {
        Commits.Add(1);
        Transactions.Add(transactions);
        CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
