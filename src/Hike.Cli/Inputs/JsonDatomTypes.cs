using System.Globalization;
using Hike.Api;
using Hike.Edn;

namespace Hike.Cli.Inputs;

/// <summary>
/// Gives datoms read from JSON back the types JSON cannot carry, by the attribute's
/// <c>:db/valueType</c>: ISO-8601 strings become instants, UUID strings UUIDs, base64 strings bytes,
/// and so on, as <see cref="Output.JsonOutput"/> wrote them. Types come from the target database's
/// schema and from the attribute definitions in the stream so far. Values of untyped attributes
/// stay as JSON read them. Feed the datoms in stream order; not thread-safe.
/// </summary>
internal sealed class JsonDatomTypes
{
    private static readonly Keyword IdentKey = Keyword.Intern("db/ident");
    private static readonly Keyword ValueTypeKey = Keyword.Intern("db/valueType");

    private readonly Dictionary<Keyword, string> _types = [];
    private readonly Dictionary<long, Keyword> _identOf = [];
    private readonly Dictionary<long, string> _typeOf = [];

    public JsonDatomTypes(Database target)
    {
        _types[Keyword.Intern("db/txInstant")] = "instant";
        foreach (var (ident, definition) in target.Schema())
        {
            if (ident is Keyword attribute && definition is EdnMap map && map.Get(ValueTypeKey) is Keyword type) _types[attribute] = type.Name;
        }
    }

    /// <summary>The datom <c>[e a v tx added]</c> with its value converted to the attribute's type, where JSON lost it.</summary>
    public object? Convert(object? datom)
    {
        if (datom is not IReadOnlyList<object?> { Count: 5 } parts || parts[1] is not Keyword attribute) return datom;
        Track(parts, attribute);
        if (!_types.TryGetValue(attribute, out var type) || parts[2] is not { } value) return datom;
        var converted = ConvertValue(type, value);
        return ReferenceEquals(converted, value) ? datom : EdnVector.Create(parts[0], attribute, converted, parts[3], parts[4]);
    }

    /// <summary>Follows the <c>:db/ident</c> and <c>:db/valueType</c> datoms of attributes defined in the stream.</summary>
    private void Track(IReadOnlyList<object?> parts, Keyword attribute)
    {
        if (parts[0] is not long e || parts[4] is not true) return;
        if (ReferenceEquals(attribute, IdentKey) && parts[2] is Keyword ident)
        {
            _identOf[e] = ident;
            if (_typeOf.TryGetValue(e, out var type)) _types[ident] = type;
        }
        else if (ReferenceEquals(attribute, ValueTypeKey) && parts[2] is Keyword valueType)
        {
            _typeOf[e] = valueType.Name;
            if (_identOf.TryGetValue(e, out var named)) _types[named] = valueType.Name;
        }
    }

    /// <summary>The value as the type needs it; the value itself when it already fits or cannot be converted (the transaction then says why).</summary>
    private static object ConvertValue(string type, object value)
    {
        try
        {
            return (type, value) switch
            {
                ("instant", string s) => DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                ("uuid", string s) => Guid.Parse(s),
                ("bytes", string s) => System.Convert.FromBase64String(s),
                ("symbol", string s) => Symbol.Intern(s),
                ("keyword", string s) => Keyword.Intern(s.TrimStart(':')),
                // JSON reading takes a string with a leading colon for a keyword; a string attribute wants it back.
                ("string", Keyword k) => ":" + k.FullName,
                ("double" or "float", long l) => (double)l,
                ("double" or "float", System.Numerics.BigInteger b) when double.IsFinite((double)b) => (double)b,
                ("double" or "float", string s) => double.Parse(s, CultureInfo.InvariantCulture),
                ("bigdec", long l) => (decimal)l,
                ("bigdec", System.Numerics.BigInteger b) => (decimal)b,
                ("bigdec", double d) => (decimal)d,
                _ => value,
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            return value;
        }
    }
}
