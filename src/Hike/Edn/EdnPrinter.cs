using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hike.Edn;

/// <summary>
/// Prints values as EDN text the way Clojure's <c>pr-str</c> does, e.g. <c>{:db/id 101, :name "Judea"}</c>.
/// Reading the output with the EDN reader gives an equal value (a datom, printed as Datahike's
/// <c>#datahike/Datom [e a v tx added]</c>, reads back as that vector). Byte, float and double arrays,
/// which EDN has no literal for, print with Hike's own tags <c>#hike/bytes</c>, <c>#hike/floats</c> and
/// <c>#hike/doubles</c>, which the reader accepts. Collections are walked with an explicit stack, so a
/// value of any depth prints on any thread. Linear in the size of the output. Thread-safe.
/// </summary>
public static class EdnPrinter
{
    /// <summary>Prints <paramref name="value"/> as EDN text.</summary>
    public static string Print(object? value)
    {
        var sb = new StringBuilder();
        Print(sb, value);
        return sb.ToString();
    }

    /// <summary>Appends <paramref name="value"/> as EDN text to <paramref name="sb"/>.</summary>
    public static void Print(StringBuilder sb, object? value)
    {
        ArgumentNullException.ThrowIfNull(sb);
        new Printer(sb, int.MaxValue).Run(value);
    }

    /// <summary>The tag Datahike prints a datom with (and reads back): <c>#datahike/Datom [e a v tx added]</c>.</summary>
    internal const string DatomTag = "datahike/Datom";

    /// <summary>
    /// What a datom prints as, Datahike's <c>#datahike/Datom [1 :name "Ivan" 536870913 true]</c>: the
    /// one spelling of datoms everywhere, in full or cut short by a bounded printing (messages).
    /// <paramref name="a"/> is the attribute's keyword or, for an index datom, its id.
    /// </summary>
    internal static object DatomForm(long e, object a, object? v, long tx, bool added) => new PrintedDatom([e, a, v, tx, added]);

    /// <summary>A datom to print: its five parts.</summary>
    private sealed class PrintedDatom(object?[] parts)
    {
        public object?[] Parts { get; } = parts;
    }

    /// <summary>
    /// The first <paramref name="maxChars"/> characters of <paramref name="value"/>'s EDN text, and
    /// whether there was more. Stops walking the value at the limit, so it costs O(<paramref name="maxChars"/>)
    /// for any value but a huge number.
    /// </summary>
    internal static string PrintPrefix(object? value, int maxChars, out bool truncated)
    {
        var sb = new StringBuilder();
        var printer = new Printer(sb, maxChars);
        printer.Run(value);
        truncated = printer.Truncated;
        return sb.ToString();
    }

    /// <summary>How many characters <see cref="Print(object?)"/> makes of <paramref name="s"/>. O(length), no allocation.</summary>
    internal static long PrintedLength(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        long n = s.Length + 2;
        var rest = s.AsSpan();
        for (int i = rest.IndexOfAny(Escaped); i >= 0; i = rest.IndexOfAny(Escaped))
        {
            n += rest[i] is '"' or '\\' or '\n' or '\t' or '\r' or '\b' or '\f' ? 1 : 5;
            rest = rest[(i + 1)..];
        }
        return n;
    }

    // Characters a string literal escapes: quote, backslash and every control character.
    private static readonly System.Buffers.SearchValues<char> Escaped = System.Buffers.SearchValues.Create(
        "\"\\" + string.Concat(Enumerable.Range(0, 32).Select(c => (char)c)) + string.Concat(Enumerable.Range(0x7F, 0xA0 - 0x7F).Select(c => (char)c)));

    /// <summary>One printing: the output, its limit, and the collections being printed (an explicit stack).</summary>
    private sealed class Printer(StringBuilder sb, int limit)
    {
        private readonly Stack<Frame> _open = new();
        private int _start;

        /// <summary>True once the output reached the limit and printing stopped.</summary>
        public bool Truncated { get; private set; }

        public void Run(object? value)
        {
            _start = sb.Length;
            Write(value);
            while (_open.TryPeek(out var frame) && !Full())
            {
                if (frame.Entries is { } entries)
                {
                    if (frame.ValueNext)
                    {
                        frame.ValueNext = false;
                        sb.Append(' ');
                        Write(entries[frame.Index++].Value);
                    }
                    else if (frame.Index < entries.Length)
                    {
                        if (frame.Index > 0) sb.Append(", ");
                        frame.ValueNext = true;
                        Write(entries[frame.Index].Key);
                    }
                    else
                    {
                        sb.Append('}');
                        _open.Pop();
                    }
                }
                else if (frame.Items!.MoveNext())
                {
                    if (frame.Index++ > 0) sb.Append(' ');
                    Write(frame.Items.Current);
                }
                else
                {
                    sb.Append(frame.Close);
                    _open.Pop();
                }
            }
            if (Full()) sb.Length = _start + limit;
        }

        /// <summary>Room left before the limit, plus one character that shows there was more.</summary>
        private int Budget => limit == int.MaxValue ? int.MaxValue : Math.Max(0, limit + 1 - (sb.Length - _start));

        private bool Full()
        {
            if (sb.Length - _start <= limit) return false;
            Truncated = true;
            return true;
        }

        /// <summary>Writes a scalar, or opens a collection (its first delimiter, and a frame for the rest).</summary>
        private void Write(object? value)
        {
            switch (value)
            {
                case null:
                    sb.Append("nil");
                    return;
                case bool b:
                    sb.Append(b ? "true" : "false");
                    return;
                case long l:
                    sb.Append(l.ToString(CultureInfo.InvariantCulture));
                    return;
                case string s:
                    WriteString(s);
                    return;
                case Keyword k:
                    sb.Append(':').Append(k.FullName);
                    return;
                case Symbol sym:
                    sb.Append(sym.FullName);
                    return;
                case BigInteger bi:
                    BigIntegerText.Append(sb, bi);
                    sb.Append('N');
                    return;
                case decimal m:
                    sb.Append(m.ToString(CultureInfo.InvariantCulture)).Append('M');
                    return;
                case double d:
                    WriteDouble(sb, d, Shortest(d));
                    return;
                case float f:
                    WriteDouble(sb, f, Shortest(f));
                    return;
                case char c:
                    WriteChar(sb, c);
                    return;
                case DateTime or DateTimeOffset:
                    sb.Append("#inst \"").Append(FormatInstant(Instants.ToUtc(value))).Append('"');
                    return;
                case Guid g:
                    sb.Append("#uuid \"").Append(g.ToString("D")).Append('"');
                    return;
                case byte[] bytes:
                    // Four characters per three bytes: a bounded printing encodes only what it may keep.
                    sb.Append("#hike/bytes \"").Append(Convert.ToBase64String(bytes, 0, (int)Math.Min(bytes.Length, 3L * (Budget / 4 + 1)))).Append('"');
                    return;
                case float[] floats:
                    sb.Append("#hike/floats ");
                    Open(floats, '[', ']');
                    return;
                case double[] doubles:
                    sb.Append("#hike/doubles ");
                    Open(doubles, '[', ']');
                    return;
                case EdnList list:
                    Open(list, '(', ')');
                    return;
                case EdnSet set:
                    sb.Append('#');
                    Open(set, '{', '}');
                    return;
                case EdnMap map:
                    OpenMap(map.Entries.ToArray());
                    return;
                case PrintedDatom datom:
                    sb.Append('#').Append(DatomTag).Append(' ');
                    Open(datom.Parts, '[', ']');
                    return;
            }
            if (value is IEdnPrintable printable)
            {
                printable.PrintEdn(sb);
                return;
            }
            if (Numbers.IsIntegral(value))
            {
                BigIntegerText.Append(sb, Numbers.ToBigInteger(value));
                return;
            }
            if (ValueEquality.IsSequential(value))
            {
                Open((IEnumerable)value, '[', ']');
                return;
            }
            if (Maps.ToEntries(value) is { } entries)
            {
                OpenMap([.. entries]);
                return;
            }
            if (value is IEnumerable e && TypeShapes.IsSet(value.GetType()))
            {
                sb.Append('#');
                Open(e, '{', '}');
                return;
            }
            sb.Append("#object[").Append(value.GetType().FullName).Append(' ');
            WriteString(value.ToString() ?? string.Empty);
            sb.Append(']');
        }

        private void Open(IEnumerable items, char open, char close)
        {
            sb.Append(open);
            _open.Push(new Frame { Items = items.GetEnumerator(), Close = close });
        }

        private void OpenMap(KeyValuePair<object?, object?>[] entries)
        {
            sb.Append('{');
            _open.Push(new Frame { Entries = entries });
        }

        private void WriteString(string s)
        {
            sb.Append('"');
            // Runs without escapes are copied at once; a bounded printing copies no more than it may keep.
            var rest = s.AsSpan();
            while (!rest.IsEmpty)
            {
                int budget = Budget;
                if (budget == 0) return;
                int i = rest.IndexOfAny(Escaped);
                int run = Math.Min(i < 0 ? rest.Length : i, budget);
                sb.Append(rest[..run]);
                rest = rest[run..];
                if (rest.IsEmpty || run == budget) continue;
                AppendEscape(sb, rest[0]);
                rest = rest[1..];
            }
            sb.Append('"');
        }

        private static void AppendEscape(StringBuilder sb, char c)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default: sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
            }
        }
    }

    /// <summary>A collection being printed: its remaining items (or map entries) and what closes it.</summary>
    private sealed class Frame
    {
        public IEnumerator? Items;
        public KeyValuePair<object?, object?>[]? Entries;
        public int Index;
        public bool ValueNext;
        public char Close;
    }

    /// <summary>Formats an instant as Clojure prints <c>#inst</c>: milliseconds and a <c>-00:00</c> offset.</summary>
    internal static string FormatInstant(DateTime utc) =>
        utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "-00:00";

    // Java prints at least two significant digits, choosing the two-digit decimal closest to the
    // value: only subnormals, whose shortest form may be one digit that is not the closest two-digit
    // one, print differently from .NET's shortest digits (Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
    private static string Shortest(double d)
    {
        if (d != 0 && Math.Abs(d) < 2.2250738585072014E-308)
        {
            string two = d.ToString("E1", CultureInfo.InvariantCulture);
            if (double.Parse(two, NumberStyles.Float, CultureInfo.InvariantCulture) == d) return two;
        }
        return d.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string Shortest(float f)
    {
        if (f != 0 && MathF.Abs(f) < 1.17549435E-38f)
        {
            string two = f.ToString("E1", CultureInfo.InvariantCulture);
            if (float.Parse(two, NumberStyles.Float, CultureInfo.InvariantCulture) == f) return two;
        }
        return f.ToString("R", CultureInfo.InvariantCulture);
    }

    private static void WriteDouble(StringBuilder sb, double d, string shortest)
    {
        if (double.IsNaN(d))
        {
            sb.Append("##NaN");
            return;
        }
        if (double.IsInfinity(d))
        {
            sb.Append(d > 0 ? "##Inf" : "##-Inf");
            return;
        }
        AppendJavaStyle(sb, shortest);
    }

    /// <summary>
    /// Lays out the shortest round-trip digits (.NET's "R" text, e.g. <c>1E-05</c>, <c>10000000000</c>)
    /// as Java's <c>Double.toString</c> does, which is what Clojure prints: plain notation with at least
    /// one fraction digit when 1E-3 &lt;= |x| &lt; 1E7 (<c>0.001</c>, <c>1234567.0</c>), otherwise one digit,
    /// a fraction and an exponent without '+' or leading zeros (<c>1.0E10</c>, <c>1.5E-5</c>).
    /// </summary>
    private static void AppendJavaStyle(StringBuilder sb, string shortest)
    {
        ReadOnlySpan<char> text = shortest;
        if (text[0] == '-')
        {
            sb.Append('-');
            text = text[1..];
        }
        int e = text.IndexOfAny('E', 'e');
        int exponent = e < 0 ? 0 : int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        int point = mantissa.IndexOf('.');
        int intDigits = point < 0 ? mantissa.Length : point;
        Span<char> digits = stackalloc char[mantissa.Length];
        int n = 0;
        foreach (char c in mantissa)
        {
            if (c != '.') digits[n++] = c;
        }
        int lead = 0;
        while (lead < n && digits[lead] == '0') lead++;
        if (lead == n)
        {
            sb.Append("0.0");
            return;
        }
        int end = n;
        while (digits[end - 1] == '0') end--;
        var significant = digits[lead..end];
        // The value is 0.significant * 10^(decimalExponent + 1).
        int decimalExponent = intDigits - lead - 1 + exponent;
        if (decimalExponent is >= -3 and < 7)
        {
            if (decimalExponent >= 0)
            {
                int whole = decimalExponent + 1;
                if (significant.Length <= whole)
                {
                    sb.Append(significant).Append('0', whole - significant.Length).Append(".0");
                }
                else
                {
                    sb.Append(significant[..whole]).Append('.').Append(significant[whole..]);
                }
            }
            else
            {
                sb.Append("0.").Append('0', -decimalExponent - 1).Append(significant);
            }
            return;
        }
        sb.Append(significant[0]).Append('.');
        if (significant.Length > 1) sb.Append(significant[1..]);
        else sb.Append('0');
        sb.Append('E').Append(decimalExponent.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteChar(StringBuilder sb, char c)
    {
        sb.Append('\\');
        switch (c)
        {
            case '\n': sb.Append("newline"); break;
            case ' ': sb.Append("space"); break;
            case '\t': sb.Append("tab"); break;
            case '\r': sb.Append("return"); break;
            case '\b': sb.Append("backspace"); break;
            case '\f': sb.Append("formfeed"); break;
            default:
                if (char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)) sb.Append('u').Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
                break;
        }
    }
}
