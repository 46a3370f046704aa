using System.Globalization;
using Hike.Api;

namespace Hike.Cli.Inputs;

/// <summary>
/// A point in time of <c>asof:</c> and <c>since:</c>, as dthk takes it (an integer is epoch
/// milliseconds) or as Hike adds (an ISO-8601 instant, or <c>tx:N</c> for a transaction id).
/// </summary>
internal readonly record struct TimePoint(DateTime? Instant, long? Tx)
{
    public static TimePoint Parse(string text)
    {
        if (text.StartsWith("tx:", StringComparison.Ordinal))
        {
            return long.TryParse(text.AsSpan(3), NumberStyles.Integer, CultureInfo.InvariantCulture, out long tx)
                ? new TimePoint(null, tx)
                : throw CliErrors.Argument($"Bad transaction id in {text}: expected tx:N with N an integer");
        }
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long millis))
        {
            return new TimePoint(DateTime.UnixEpoch.AddMilliseconds(millis), null);
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return new TimePoint(instant.UtcDateTime, null);
        }
        throw CliErrors.Argument($"Bad time {text}: expected epoch milliseconds, an ISO-8601 instant or tx:N");
    }

    public Database AsOf(Database db) => Tx is { } tx ? db.AsOf(tx) : db.AsOf(Instant!.Value);

    public Database Since(Database db) => Tx is { } tx ? db.Since(tx) : db.Since(Instant!.Value);
}
