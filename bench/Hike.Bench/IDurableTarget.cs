namespace Hike.Bench;

/// <summary>One side of the durable benchmark: a database kind that lives in a directory.</summary>
internal interface IDurableTarget
{
    /// <summary>The side's name in result lines: <c>hike</c> or <c>sqlite</c>.</summary>
    string Name { get; }

    /// <summary>Creates an empty database with the benchmark's schema in <paramref name="dir"/>.</summary>
    Task CreateAsync(string dir);

    /// <summary>Opens the database in <paramref name="dir"/>, its cache limited to <paramref name="cacheBytes"/>.</summary>
    Task<IDurableSession> OpenAsync(string dir, long cacheBytes);

    /// <summary>Deletes the database in <paramref name="dir"/>.</summary>
    Task DeleteAsync(string dir);
}
