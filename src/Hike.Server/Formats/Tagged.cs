namespace Hike.Server.Formats;

/// <summary>
/// A value the wire formats carry under a tag the server gives meaning to (a connection, a database
/// value, a transaction report): JSON's <c>["!tag", value]</c>, EDN's <c>#tag value</c>.
/// </summary>
internal sealed record Tagged(string Tag, object? Value);
