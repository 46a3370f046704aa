using System.Globalization;

namespace Hike.Edn;

/// <summary>Tagged values: <c>#inst</c>, <c>#uuid</c>, Datahike's <c>#datahike/Datom</c> and Hike's array tags.</summary>
internal sealed partial class EdnParser
{
    private const string KnownTags = "#inst, #uuid, #datahike/Datom, #hike/bytes, #hike/floats and #hike/doubles";

    /// <summary>
    /// What a tag this reader does not know reads as: given the tag's name (without <c>#</c>) and the form
    /// after it, a value, or null when the caller does not know the tag either. Null: only the known tags.
    /// </summary>
    public Func<string, object?, object?>? ReadTag { get; init; }

    /// <summary>Reads <c>#tag value</c>; the <c>#</c> is at the current position and a letter follows.</summary>
    private object ReadTagged(int depth, long line, long col)
    {
        _pos++;
        int start = ScanToken(_pos);
        var tag = _buf.AsSpan(start, _pos - start);
        if (!IsValidSymbol(tag, keyword: false)) throw At($"Invalid tag '#{Clip(tag)}'", line, col);
        switch (tag)
        {
            case "inst":
            {
                var (text, textLine, textCol) = ReadTagString(depth, "#inst", line, col);
                if (!TryParseInstant(text, out var instant, out var problem))
                {
                    throw At($"Invalid #inst \"{Clip(text)}\": {problem}", textLine, textCol);
                }
                return instant;
            }
            case "uuid":
            {
                var (text, textLine, textCol) = ReadTagString(depth, "#uuid", line, col);
                if (!Guid.TryParseExact(text, "D", out var uuid))
                {
                    throw At($"Invalid #uuid \"{Clip(text)}\": expected 32 hex digits grouped 8-4-4-4-12", textLine, textCol);
                }
                return uuid;
            }
            case "hike/bytes":
            {
                var (text, textLine, textCol) = ReadTagString(depth, "#hike/bytes", line, col);
                try
                {
                    return Convert.FromBase64String(text);
                }
                catch (FormatException)
                {
                    throw At($"Invalid #hike/bytes \"{Clip(text)}\": expected base64", textLine, textCol);
                }
            }
            case EdnPrinter.DatomTag:
                return ReadDatom(depth, line, col);
            case "hike/floats":
                return ReadNumberArray(depth, floats: true, line, col);
            case "hike/doubles":
                return ReadNumberArray(depth, floats: false, line, col);
            default:
                if (ReadTag is { } readTag)
                {
                    string name = tag.ToString();
                    var (value, _, _) = ReadTagValue(depth, "#" + name, line, col);
                    return readTag(name, value) ?? throw At($"Unknown tag #{Clip(name)}: this reader takes {KnownTags} and its caller's", line, col);
                }
                throw At($"Unknown tag #{Clip(tag)}: custom tags are not supported, Hike reads only {KnownTags}", line, col);
        }
    }

    /// <summary>Reads the string a tag applies to, with where it starts.</summary>
    private (string Text, long Line, long Col) ReadTagString(int depth, string tag, long line, long col)
    {
        var (value, valueLine, valueCol) = ReadTagValue(depth, tag, line, col);
        if (value is not string text) throw At($"{tag} expects a string, found {Show(value)}", valueLine, valueCol);
        return (text, valueLine, valueCol);
    }

    /// <summary>Reads the form a tag applies to, with where it starts.</summary>
    private (object? Value, long Line, long Col) ReadTagValue(int depth, string tag, long line, long col)
    {
        Enter(depth, line, col);
        if (!SkipAtmosphere(depth + 1)) throw Raw($"EOF while reading the value of {tag} at line {line}, column {col}", line, col);
        long valueLine = _line, valueCol = ColumnAt(_pos);
        return (ReadValue(depth + 1), valueLine, valueCol);
    }

    /// <summary>
    /// Reads the vector after <c>#datahike/Datom</c>, as Datahike prints a datom: <c>[e a v tx added]</c>.
    /// It stays that vector (the engine's datom type lives above this layer), which is what loads and
    /// imports take as a datom, so whatever prints datoms reads back.
    /// </summary>
    private object ReadDatom(int depth, long line, long col)
    {
        const string tag = "#" + EdnPrinter.DatomTag;
        var (value, valueLine, valueCol) = ReadTagValue(depth, tag, line, col);
        if (value is not EdnVector { Count: 5 } datom) throw At($"{tag} expects a vector [e a v tx added], found {Show(value)}", valueLine, valueCol);
        return datom;
    }

    /// <summary>
    /// Reads the vector of numbers after <c>#hike/floats</c> or <c>#hike/doubles</c>. Each floating
    /// literal is parsed straight to the element type, so a float prints and reads back exactly.
    /// </summary>
    private object ReadNumberArray(int depth, bool floats, long line, long col)
    {
        string tag = floats ? "#hike/floats" : "#hike/doubles";
        Enter(depth, line, col);
        if (!SkipAtmosphere(depth + 1)) throw Raw($"EOF while reading the value of {tag} at line {line}, column {col}", line, col);
        long vectorLine = _line, vectorCol = ColumnAt(_pos);
        if (_buf[_pos] != '[') throw At($"{tag} expects a vector of numbers", vectorLine, vectorCol);
        Enter(depth + 1, vectorLine, vectorCol);
        _pos++;
        var singles = floats ? new List<float>() : null;
        var doubles = floats ? null : new List<double>();
        while (true)
        {
            if (!SkipAtmosphere(depth + 2)) throw Raw($"EOF while reading vector started at line {vectorLine}, column {vectorCol}", vectorLine, vectorCol);
            long itemLine = _line, itemCol = ColumnAt(_pos);
            char c = _buf[_pos];
            if (c == ']')
            {
                _pos++;
                break;
            }
            double value;
            float single;
            if (c == '#' && PeekSecond() == '#')
            {
                value = (double)ReadSymbolicValue(itemLine, itemCol);
                single = (float)value;
            }
            else if (IsDigit(c) || c is '-' or '+')
            {
                int start = ScanToken(_pos);
                var token = _buf.AsSpan(start, _pos - start);
                if (!IsDigit(c) && (token.Length < 2 || !IsDigit(token[1]))) throw NotANumber(tag, token, itemLine, itemCol);
                var number = ParseNumber(token, itemLine, itemCol);
                if (number is double d)
                {
                    value = d;
                    single = floats ? float.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture) : 0f;
                }
                else
                {
                    value = Numbers.ToDouble(number);
                    single = (float)value;
                }
            }
            else
            {
                var item = ReadValue(depth + 2);
                throw At($"{tag} expects a vector of numbers, found {Show(item)}", itemLine, itemCol);
            }
            if (floats) singles!.Add(single);
            else doubles!.Add(value);
        }
        return floats ? singles!.ToArray() : doubles!.ToArray();
    }

    private static EdnSyntaxException NotANumber(string tag, ReadOnlySpan<char> token, long line, long col) =>
        At($"{tag} expects a vector of numbers, found '{Clip(token)}'", line, col);

    /// <summary>
    /// Parses an instant as Clojure's <c>#inst</c> reader does: RFC 3339 where everything after
    /// the year may be left off (<c>2020</c>, <c>2020-01</c>, <c>2020-01-01T10:00</c>), a fraction
    /// of any length, and <c>Z</c> or a <c>±hh:mm</c> offset (none means UTC). The result is UTC,
    /// truncated to milliseconds as Datahike's instants are.
    /// </summary>
    internal static bool TryParseInstant(string s, out DateTime utc, out string problem)
    {
        utc = default;
        int i = 0;
        int month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
        if (!TryDigits(s, ref i, 4, out int year))
        {
            problem = "expected a four-digit year";
            return false;
        }
        if (Next(s, i, '-'))
        {
            i++;
            if (!TryDigits(s, ref i, 2, out month))
            {
                problem = "expected a two-digit month after the year";
                return false;
            }
            if (Next(s, i, '-'))
            {
                i++;
                if (!TryDigits(s, ref i, 2, out day))
                {
                    problem = "expected a two-digit day after the month";
                    return false;
                }
                if (Next(s, i, 'T'))
                {
                    i++;
                    if (!TryDigits(s, ref i, 2, out hour))
                    {
                        problem = "expected a two-digit hour after 'T'";
                        return false;
                    }
                    if (Next(s, i, ':'))
                    {
                        i++;
                        if (!TryDigits(s, ref i, 2, out minute))
                        {
                            problem = "expected two-digit minutes after the hour";
                            return false;
                        }
                        if (Next(s, i, ':'))
                        {
                            i++;
                            if (!TryDigits(s, ref i, 2, out second))
                            {
                                problem = "expected two-digit seconds after the minutes";
                                return false;
                            }
                            if (Next(s, i, '.'))
                            {
                                i++;
                                int fractionStart = i;
                                while (i < s.Length && IsDigit(s[i]))
                                {
                                    if (i - fractionStart < 3) millis = millis * 10 + (s[i] - '0');
                                    i++;
                                }
                                int digits = i - fractionStart;
                                if (digits == 0)
                                {
                                    problem = "expected digits after the decimal point";
                                    return false;
                                }
                                for (int k = digits; k < 3; k++) millis *= 10;
                            }
                        }
                    }
                }
            }
        }
        int offsetMinutes = 0;
        if (Next(s, i, 'Z'))
        {
            i++;
        }
        else if (Next(s, i, '+') || Next(s, i, '-'))
        {
            int sign = s[i] == '-' ? -1 : 1;
            i++;
            if (!TryDigits(s, ref i, 2, out int offsetHours) || !Next(s, i, ':'))
            {
                problem = "expected an offset as ±hh:mm";
                return false;
            }
            i++;
            if (!TryDigits(s, ref i, 2, out int offsetMins))
            {
                problem = "expected an offset as ±hh:mm";
                return false;
            }
            if (offsetHours > 23 || offsetMins > 59)
            {
                problem = $"offset {s[(i - 6)..i]} is out of range";
                return false;
            }
            offsetMinutes = sign * (offsetHours * 60 + offsetMins);
        }
        if (i != s.Length)
        {
            problem = $"unexpected '{s[i]}' at position {i + 1}";
            return false;
        }
        problem = year < 1 ? "year 0000 is out of range"
            : month is < 1 or > 12 ? $"month {month} is out of range"
            : day < 1 || day > DateTime.DaysInMonth(year, month) ? $"day {day} is out of range for {year:D4}-{month:D2}"
            : hour > 23 ? $"hour {hour} is out of range"
            : minute > 59 ? $"minute {minute} is out of range"
            : second > 59 ? $"second {second} is out of range"
            : string.Empty;
        if (problem.Length > 0) return false;
        long ticks = new DateTime(year, month, day, hour, minute, second, millis, DateTimeKind.Utc).Ticks
            - offsetMinutes * TimeSpan.TicksPerMinute;
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            problem = "the instant is out of range once converted to UTC";
            return false;
        }
        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool Next(string s, int i, char c) => i < s.Length && s[i] == c;

    private static bool TryDigits(string s, ref int i, int count, out int value)
    {
        value = 0;
        if (i + count > s.Length) return false;
        for (int k = 0; k < count; k++)
        {
            char c = s[i + k];
            if (!IsDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        i += count;
        return true;
    }
}
