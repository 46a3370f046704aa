using Hike.Edn;
using Hike.Storage;

namespace Hike.Api;

/// <summary>
/// The keys of a <c>:jdbc</c> store (konserve-jdbc's: <c>:dbtype</c>, <c>:host</c>, <c>:port</c>,
/// <c>:dbname</c>, <c>:user</c>, <c>:password</c>, <c>:table</c>, ...), read for a backend that knows
/// which of them it takes. An unknown key is an error naming it; a value that is a credential is never
/// shown.
/// </summary>
internal sealed class JdbcOptions
{
    /// <summary>The table a store uses when <c>:table</c> is not given.</summary>
    public const string DefaultTable = "hike";

    private readonly Dictionary<string, object?> _values;

    private JdbcOptions(Dictionary<string, object?> values) => _values = values;

    /// <summary>The options of <paramref name="store"/>; any key besides <c>:dbtype</c> and <paramref name="allowed"/> is an error.</summary>
    public static JdbcOptions Read(StoreConfig store, IReadOnlyCollection<string> allowed)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in store.Options)
        {
            var name = ((Keyword)key).FullName;
            if (name != "dbtype" && !allowed.Contains(name))
            {
                throw Errors.Config($"Unknown key {Errors.Show(key)} in :store for the :jdbc {Errors.Show(store.Options.Get(Keyword.Intern("dbtype")))} backend; it takes {string.Join(", ", allowed.Select(a => ":" + a))}");
            }
            values[name] = value;
        }
        return new JdbcOptions(values);
    }

    /// <summary>The string under <paramref name="key"/>, or null when absent.</summary>
    public string? Text(string key) => _values.TryGetValue(key, out var value)
        ? value as string ?? throw Errors.Config($":store :{key} must be a string, got {Shown(key, value)}")
        : null;

    /// <summary>The integer under <paramref name="key"/> (an integer or its digits as a string), or null when absent.</summary>
    public int? Integer(string key) => _values.TryGetValue(key, out var value)
        ? value switch
        {
            long n when n is > 0 and <= int.MaxValue => (int)n,
            string s when int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0 => n,
            _ => throw Errors.Config($":store :{key} must be a positive integer, got {Shown(key, value)}"),
        }
        : null;

    /// <summary>How long the writer lease lasts without renewal: <c>:writer-lease-ms</c>, or <see cref="WriterLease.DefaultDuration"/>.</summary>
    public TimeSpan WriterLease() => Storage.WriterLease.DurationOf(Integer("writer-lease-ms"));

    /// <summary>The store's table: <c>:table</c>, or <see cref="DefaultTable"/>.</summary>
    public string Table()
    {
        var table = Text("table") ?? DefaultTable;
        return SqlTableStore.IsValidTable(table)
            ? table
            : throw Errors.Config($":store :table {Errors.Show(table)} must be a plain table name: lower-case letters, digits and _, starting with a letter or _");
    }

    private static string Shown(string key, object? value) => StoreCredentials.IsCredential(Keyword.Intern(key)) ? "a value of another type" : Errors.Show(value);
}
