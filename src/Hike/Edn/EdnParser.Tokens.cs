using System.Globalization;
using System.Numerics;

namespace Hike.Edn;

/// <summary>Character classes, symbol and keyword rules, and number literals.</summary>
internal sealed partial class EdnParser
{
    private const byte Whitespace = 1;
    private const byte Terminator = 2;
    private const byte SymbolChar = 4;

    // Classes of the ASCII characters. Whitespace is Java's Character.isWhitespace, as in
    // Clojure's reader, plus the comma. Tokens end at whitespace and at Clojure's terminating
    // macro characters.
    private static readonly byte[] AsciiClass = BuildAsciiClass();

    private static byte[] BuildAsciiClass()
    {
        var table = new byte[128];
        foreach (char c in "\t\n\v\f\r\x1C\x1D\x1E\x1F ,") table[c] = Whitespace | Terminator;
        foreach (char c in "\";()[]{}\\^`~@") table[c] = Terminator;
        for (char c = 'a'; c <= 'z'; c++) table[c] = SymbolChar;
        for (char c = 'A'; c <= 'Z'; c++) table[c] = SymbolChar;
        for (char c = '0'; c <= '9'; c++) table[c] = SymbolChar;
        foreach (char c in ".*+!-_?$%&=<>/#:'") table[c] = SymbolChar;
        return table;
    }

    private static bool IsWhitespace(char c) =>
        c < 128 ? (AsciiClass[c] & Whitespace) != 0 : IsUnicodeWhitespace(c);

    private static bool IsTerminator(char c) =>
        c < 128 ? (AsciiClass[c] & Terminator) != 0 : IsUnicodeWhitespace(c);

    // Java's whitespace outside ASCII: space, line and paragraph separators except the no-break ones.
    private static bool IsUnicodeWhitespace(char c) =>
        c is '\u1680' or (>= '\u2000' and <= '\u2006') or (>= '\u2008' and <= '\u200A') or '\u2028' or '\u2029' or '\u205F' or '\u3000';

    // Outside ASCII every character that is not whitespace or a control character may appear in
    // a symbol (letters, marks and symbols of any script), as Clojure's reader allows.
    private static bool IsSymbolChar(char c) =>
        c < 128 ? (AsciiClass[c] & SymbolChar) != 0 : !IsUnicodeWhitespace(c) && !char.IsControl(c);

    private static bool IsDigit(char c) => (uint)(c - '0') <= 9;

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// The EDN rules for a symbol (or a keyword without its colon): <c>/</c> alone, or a name, or a
    /// prefix and a name separated by one <c>/</c> (the name may be <c>/</c>, as in <c>clojure.core//</c>).
    /// </summary>
    private static bool IsValidSymbol(ReadOnlySpan<char> s, bool keyword)
    {
        if (s.Length == 1 && s[0] == '/') return true;
        int slash = s.IndexOf('/');
        if (slash < 0) return IsValidPart(s, keyword);
        if (slash == 0) return false;
        var name = s[(slash + 1)..];
        if (!(name.Length == 1 && name[0] == '/') && !IsValidPart(name, relaxedStart: false)) return false;
        return IsValidPart(s[..slash], keyword);
    }

    /// <summary>
    /// A namespace or name: symbol characters, no <c>/</c>, not starting with <c>:</c> or <c>'</c>,
    /// not ending with <c>:</c>, no <c>::</c>; unless <paramref name="relaxedStart"/> (the first part
    /// of a keyword, where Clojure reads <c>:1</c>, <c>:-1</c> and <c>:#a</c>), not starting with
    /// <c>#</c> or a digit, nor with <c>+</c>, <c>-</c> or <c>.</c> followed by a digit.
    /// </summary>
    private static bool IsValidPart(ReadOnlySpan<char> p, bool relaxedStart)
    {
        if (p.Length == 0) return false;
        char c0 = p[0];
        if (c0 is ':' or '\'' || (c0 == '#' && !relaxedStart)) return false;
        if (!relaxedStart)
        {
            if (IsDigit(c0)) return false;
            if (c0 is '+' or '-' or '.' && p.Length > 1 && IsDigit(p[1])) return false;
        }
        foreach (char c in p)
        {
            if (c == '/' || !IsSymbolChar(c)) return false;
        }
        return p[^1] != ':' && !p.Contains("::", StringComparison.Ordinal);
    }

    // Boxed small integers, shared: ages, counts and flags are mostly small.
    private static readonly object[] SmallLongs = BuildSmallLongs();

    private static object[] BuildSmallLongs()
    {
        var boxes = new object[1024 + 128];
        for (int i = 0; i < boxes.Length; i++) boxes[i] = (long)(i - 128);
        return boxes;
    }

    private static object Box(long value) =>
        value >= -128 && value < 1024 ? SmallLongs[value + 128] : value;

    /// <summary>
    /// Parses a number token as Clojure does: integers (decimal, <c>0x</c> hex, <c>0</c> octal,
    /// <c>NrDDD</c> radix, <c>N</c> suffix for BigInteger, too large for long becomes BigInteger),
    /// floating point (double, <c>M</c> suffix for decimal); ratios are rejected.
    /// </summary>
    private static object ParseNumber(ReadOnlySpan<char> t, long line, long col)
    {
        int i = 0;
        bool negative = false;
        if (t[0] is '-' or '+')
        {
            negative = t[0] == '-';
            i = 1;
        }
        int digitsStart = i;
        while (i < t.Length && IsDigit(t[i])) i++;
        int digitCount = i - digitsStart;

        bool bigSuffix = i == t.Length - 1 && t[i] == 'N';
        if (i == t.Length || bigSuffix)
        {
            var digits = t[digitsStart..i];
            if (digits.Length > 1 && digits[0] == '0')
            {
                return ParseInteger(digits[1..], 8, negative, bigSuffix) ?? throw InvalidNumber(t, line, col);
            }
            if (!bigSuffix && digits.Length <= 18)
            {
                long v = 0;
                foreach (char d in digits) v = v * 10 + (d - '0');
                return Box(negative ? -v : v);
            }
            return ParseInteger(digits, 10, negative, bigSuffix) ?? throw InvalidNumber(t, line, col);
        }

        char c = t[i];
        if (c is 'x' or 'X' && digitCount == 1 && t[digitsStart] == '0')
        {
            var hex = t[(i + 1)..];
            bool big = hex.Length > 0 && hex[^1] == 'N';
            if (big) hex = hex[..^1];
            if (hex.Length == 0) throw InvalidNumber(t, line, col);
            return ParseInteger(hex, 16, negative, big) ?? throw InvalidNumber(t, line, col);
        }
        if (c is 'r' or 'R' && digitCount is 1 or 2 && t[digitsStart] != '0')
        {
            int radix = digitCount == 1 ? t[digitsStart] - '0' : (t[digitsStart] - '0') * 10 + t[digitsStart + 1] - '0';
            if (radix > 36) throw At($"Radix {radix} is out of range (2 to 36) in number '{Clip(t)}'", line, col);
            var digits = t[(i + 1)..];
            if (radix < 2 || digits.Length == 0) throw InvalidNumber(t, line, col);
            return ParseInteger(digits, radix, negative, big: false) ?? throw InvalidNumber(t, line, col);
        }
        if (c == '/')
        {
            var denominator = t[(i + 1)..];
            if (denominator.Length > 0 && !denominator.ContainsAnyExceptInRange('0', '9'))
            {
                throw At($"Ratios such as '{Clip(t)}' are not supported; write a decimal (M) or double literal", line, col);
            }
            throw InvalidNumber(t, line, col);
        }

        // [0-9]+ (\.[0-9]*)? ([eE][-+]?[0-9]+)? M?
        int j = i;
        if (t[j] == '.')
        {
            j++;
            while (j < t.Length && IsDigit(t[j])) j++;
        }
        if (j < t.Length && t[j] is 'e' or 'E')
        {
            j++;
            if (j < t.Length && t[j] is '-' or '+') j++;
            int expStart = j;
            while (j < t.Length && IsDigit(t[j])) j++;
            if (j == expStart) throw InvalidNumber(t, line, col);
        }
        bool isDecimal = j == t.Length - 1 && t[j] == 'M';
        if (isDecimal) j++;
        if (j != t.Length) throw InvalidNumber(t, line, col);
        if (isDecimal) return ParseDecimal(t, line, col);
        return double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static object ParseDecimal(ReadOnlySpan<char> t, long line, long col)
    {
        var text = t[..^1];
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            throw At($"Decimal literal '{Clip(t)}' is out of the range of decimal (about ±7.9E28)", line, col);
        }
        if (m == 0m)
        {
            int exp = text.IndexOfAny('e', 'E');
            var mantissa = exp < 0 ? text : text[..exp];
            if (mantissa.IndexOfAnyInRange('1', '9') >= 0)
            {
                throw At($"Decimal literal '{Clip(t)}' is too small for decimal (smallest step 1E-28)", line, col);
            }
        }
        // DATAHIKE: Clojure's BigDecimal is exact; .NET decimal keeps 28-29 significant digits,
        // so longer literals are rounded.
        return m;
    }

    /// <summary>Digits in <paramref name="radix"/> to a long, or a BigInteger when too large or <paramref name="big"/>; null for a bad digit.</summary>
    private static object? ParseInteger(ReadOnlySpan<char> digits, int radix, bool negative, bool big)
    {
        ulong acc = 0;
        bool overflow = false;
        ulong r = (ulong)radix;
        foreach (char ch in digits)
        {
            int d = BigIntegerText.DigitValue(ch);
            if (d >= radix) return null;
            if (overflow) continue;
            if (acc > (ulong.MaxValue - (ulong)d) / r) overflow = true;
            else acc = acc * r + (ulong)d;
        }
        if (!overflow && !big)
        {
            if (!negative && acc <= long.MaxValue) return Box((long)acc);
            if (negative && acc <= 1UL << 63) return Box(unchecked(-(long)acc));
        }
        BigInteger value = overflow ? BigIntegerText.Parse(digits, radix) : acc;
        return negative ? -value : value;
    }

    private static EdnSyntaxException InvalidNumber(ReadOnlySpan<char> t, long line, long col) =>
        At($"Invalid number '{Clip(t)}'", line, col);
}
