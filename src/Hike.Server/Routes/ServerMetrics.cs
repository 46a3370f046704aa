using System.Diagnostics.Metrics;

namespace Hike.Server.Routes;

/// <summary>
/// The server's measurements through <see cref="System.Diagnostics.Metrics"/> (meter <c>Hike.Server</c>),
/// for any listener (<c>dotnet-counters monitor -n hike --counters Hike.Server</c>, OpenTelemetry):
/// requests by route and status, their duration, and the transactions and queries that succeeded.
/// </summary>
internal static class ServerMetrics
{
    public const string MeterName = "Hike.Server";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Requests = Meter.CreateCounter<long>("hike.server.requests", description: "Requests answered, by route and status");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("hike.server.request.duration", unit: "ms", description: "How long requests took, by route");
    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>("hike.server.transactions", description: "Transactions committed through /transact");
    private static readonly Counter<long> Queries = Meter.CreateCounter<long>("hike.server.queries", description: "Queries answered through /q");

    public static void Answered(string route, int status, TimeSpan elapsed)
    {
        var routeTag = new KeyValuePair<string, object?>("route", route);
        Requests.Add(1, routeTag, new KeyValuePair<string, object?>("status", status));
        Duration.Record(elapsed.TotalMilliseconds, routeTag);
        if (status != 200) return;
        if (route == "transact") Transactions.Add(1);
        else if (route == "q") Queries.Add(1);
    }
}
