using System.Globalization;
using System.Numerics;
using System.Text;

namespace Hike.Edn;

/// <summary>
/// Integers of any size to and from digits by divide and conquer: a number is split at a power of the
/// radix into halves that are converted separately, so a million digits take about a second, where
/// digit-by-digit conversion (BigInteger.ToString, or multiplying in one chunk at a time) takes
/// minutes. Small numbers take the plain path. Thread-safe.
/// </summary>
internal static class BigIntegerText
{
    // Below these sizes the plain conversions are faster than splitting.
    private const int PlainBytes = 2048;
    private const int PlainDigits = 2000;

    /// <summary>Appends the decimal digits of <paramref name="value"/> (with a leading '-' when negative, no suffix).</summary>
    public static void Append(StringBuilder sb, BigInteger value)
    {
        if (value.GetByteCount() <= PlainBytes)
        {
            sb.Append(value.ToString(CultureInfo.InvariantCulture));
            return;
        }
        if (value.Sign < 0)
        {
            sb.Append('-');
            value = BigInteger.Negate(value);
        }
        // powers[k] = 10^(2^k), up to about half the digits of the value.
        var powers = new List<BigInteger> { 10 };
        long digits = (long)(value.GetBitLength() * 0.30103) + 1;
        while ((2L << powers.Count) <= digits) powers.Add(powers[^1] * powers[^1]);
        AppendDigits(sb, value, 0, powers);
    }

    /// <summary>
    /// The value of <paramref name="digits"/> (no sign, every one a valid digit of <paramref name="radix"/>,
    /// 2 to 36).
    /// </summary>
    public static BigInteger Parse(ReadOnlySpan<char> digits, int radix)
    {
        if (radix == 10) return BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return ParseSplit(digits, radix, []);
    }

    /// <summary>Appends a non-negative <paramref name="value"/>, left-padded with zeros to <paramref name="width"/> digits (0: no padding).</summary>
    private static void AppendDigits(StringBuilder sb, BigInteger value, long width, List<BigInteger> powers)
    {
        if (value.GetByteCount() <= PlainBytes)
        {
            string text = value.ToString(CultureInfo.InvariantCulture);
            if (width > text.Length) sb.Append('0', (int)(width - text.Length));
            sb.Append(text);
            return;
        }
        int k = powers.Count - 1;
        while (k > 0 && powers[k] > value) k--;
        var high = BigInteger.DivRem(value, powers[k], out var low);
        long lowWidth = 1L << k;
        AppendDigits(sb, high, width > 0 ? width - lowWidth : 0, powers);
        AppendDigits(sb, low, lowWidth, powers);
    }

    private static BigInteger ParseSplit(ReadOnlySpan<char> digits, int radix, Dictionary<int, BigInteger> scales)
    {
        if (digits.Length <= PlainDigits) return ParsePlain(digits, radix);
        int lowLength = digits.Length / 2;
        if (!scales.TryGetValue(lowLength, out var scale))
        {
            scale = BigInteger.Pow(radix, lowLength);
            scales[lowLength] = scale;
        }
        var high = ParseSplit(digits[..^lowLength], radix, scales);
        return high * scale + ParseSplit(digits[^lowLength..], radix, scales);
    }

    private static BigInteger ParsePlain(ReadOnlySpan<char> digits, int radix)
    {
        // Twelve digits at a time fit a ulong for every radix up to 36.
        BigInteger value = BigInteger.Zero;
        for (int i = 0; i < digits.Length; i += 12)
        {
            var chunk = digits.Slice(i, Math.Min(12, digits.Length - i));
            ulong part = 0, scale = 1;
            foreach (char ch in chunk)
            {
                part = part * (ulong)radix + (ulong)DigitValue(ch);
                scale *= (ulong)radix;
            }
            value = value * scale + part;
        }
        return value;
    }

    /// <summary>The value of a digit or letter (a = 10, ... z = 35); 99 for anything else.</summary>
    public static int DigitValue(char ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'z' => ch - 'a' + 10,
        >= 'A' and <= 'Z' => ch - 'A' + 10,
        _ => 99,
    };
}
