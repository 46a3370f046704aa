namespace Hike.Edn;

/// <summary>Normalises the .NET instant types to a UTC <see cref="DateTime"/>, Hike's instant value.</summary>
internal static class Instants
{
    public static DateTime ToUtc(object instant) => instant switch
    {
        DateTime dt => dt.Kind switch
        {
            DateTimeKind.Utc => dt,
            DateTimeKind.Local => dt.ToUniversalTime(),
            _ => DateTime.SpecifyKind(dt, DateTimeKind.Utc),
        },
        DateTimeOffset dto => dto.UtcDateTime,
        _ => throw new InvalidCastException($"{instant.GetType().Name} is not an instant."),
    };

    /// <summary>Milliseconds since the Unix epoch, as Datahike's instants count them.</summary>
    public static long ToEpochMilliseconds(DateTime utc) => (utc.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    public static DateTime FromEpochMilliseconds(long ms) => DateTime.UnixEpoch.AddTicks(ms * TimeSpan.TicksPerMillisecond);
}
