using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Hike.Server.Routes;

/// <summary>
/// <c>GET /prometheus</c> (with <c>:prometheus true</c>): the server's and the engine's measurements
/// (meters <c>Hike.Server</c> and <c>Hike</c>) in Prometheus' text format 0.0.4, as counted since the
/// server started: counters as <c>…_total</c>, histograms with cumulative buckets, sum and count, each
/// series by its tags. Names have dots made underscores and the unit appended
/// (<c>hike_server_request_duration_ms</c>). Thread-safe; disposing it stops listening.
/// </summary>
internal sealed class PrometheusEndpoint : IDisposable
{
    /// <summary>The histograms' bucket bounds, in their unit (milliseconds for every duration here).</summary>
    private static readonly double[] Bounds = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();
    private readonly ServerGate _gate;

    public PrometheusEndpoint(ServerGate gate)
    {
        _gate = gate;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is ServerMetrics.MeterName or Writing.WriterMetrics.MeterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public async Task AnswerAsync(HttpContext http)
    {
        try
        {
            _gate.Authorize(http.Request);
        }
        catch (HikeException e)
        {
            await ErrorAnswer.WriteAsync(http.Response, Formats.WireFormat.Json, e).ConfigureAwait(false);
            return;
        }
        http.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(Text(), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Every series in the text format, instruments by name.</summary>
    public string Text()
    {
        var text = new StringBuilder();
        foreach (var (instrument, series) in _series.OrderBy(i => i.Key.Name, StringComparer.Ordinal))
        {
            bool histogram = instrument is Histogram<double> or Histogram<long>;
            string name = instrument.Name.Replace('.', '_') + (instrument.Unit is { Length: > 0 } unit ? "_" + unit : "") + (histogram ? "" : "_total");
            if (instrument.Description is { Length: > 0 } description) text.Append("# HELP ").Append(name).Append(' ').Append(description).Append('\n');
            text.Append("# TYPE ").Append(name).Append(histogram ? " histogram\n" : " counter\n");
            foreach (var (labels, one) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (one)
                {
                    if (!histogram)
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(one.Sum)).Append('\n');
                        continue;
                    }
                    long cumulative = 0;
                    for (int b = 0; b <= Bounds.Length; b++)
                    {
                        cumulative += one.Buckets[b];
                        string le = b < Bounds.Length ? Number(Bounds[b]) : "+Inf";
                        text.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{le}\""))).Append(' ').Append(cumulative).Append('\n');
                    }
                    text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(one.Sum)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(one.Count).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new StringBuilder();
        foreach (var (key, tag) in tags)
        {
            if (labels.Length > 0) labels.Append(',');
            labels.Append(key.Replace('.', '_')).Append("=\"").Append(Escape(Convert.ToString(tag, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }
        var one = _series.GetOrAdd(instrument, _ => new ConcurrentDictionary<string, Series>(StringComparer.Ordinal)).GetOrAdd(labels.ToString(), _ => new Series(Bounds.Length + 1));
        lock (one)
        {
            one.Sum += value;
            one.Count++;
            int bucket = Array.FindIndex(Bounds, bound => value <= bound);
            one.Buckets[bucket < 0 ? Bounds.Length : bucket]++;
        }
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Join(string labels, string more) => labels.Length == 0 ? more : labels + "," + more;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>One series' running totals (a counter's sum; a histogram's sum, count and per-bucket counts).</summary>
    private sealed class Series(int buckets)
    {
        public double Sum { get; set; }

        public long Count { get; set; }

        public long[] Buckets { get; } = new long[buckets];
    }
}
