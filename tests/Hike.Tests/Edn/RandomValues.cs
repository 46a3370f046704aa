using System.Numerics;
using System.Text;
using Hike.Edn;

namespace Hike.Tests.Edn;

/// <summary>
/// Random values of every kind the EDN printer writes and the reader reads back, nested to a
/// given depth. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class RandomValues
{
    private const string NameStart = "abcdefghijklmnopqrstuvwxyzABCXYZ*!_?$%&=<>éλ日";
    private const string NameRest = NameStart + "0123456789.-+#'";

    private static readonly char[] InterestingChars =
    [
        'a', 'Z', '0', 'u', 'o', 'n', '\\', '"', '\'', '(', ')', '[', ']', '{', '}', '#', ';', ':', ',', '@', '^', '`', '~', '/',
        ' ', '\n', '\t', '\r', '\b', '\f', '\0', '\u0001', '\u001f', '\u007f', '\u0085', '\u00a0', '\u2028', '\u3000',
        'é', 'λ', '日', '\ud83d', '\ude00', '\ufeff', '\uffff',
    ];

    private static readonly string[] StringPieces =
    [
        "plain", " ", "\"", "\\", "\n", "\t", "\r", "\b", "\f", "\\u0041", "\u0000", "\u0007", "\u001b", "\u007f",
        "Ĉu", "日本語", "😀", "\ud800", "\udfff", ";", "#_", "{:a 1}", "\\n", "line\r\nbreak",
    ];

    public static object? Value(Random random, int depth)
    {
        int kinds = depth > 0 ? 24 : 18;
        switch (random.Next(kinds))
        {
            case 0: return null;
            case 1: return random.Next(2) == 0;
            case 2: return Long(random);
            case 3: return BigInt(random);
            case 4: return Double(random);
            case 5: return Decimal(random);
            case 6: return String(random);
            case 7: return InterestingChars[random.Next(InterestingChars.Length)];
            case 8: return Keyword.Intern(Name(random, allowNamespace: true));
            case 9: return Symbol(random);
            case 10: return Instant(random);
            case 11: return new Guid(Bytes(random, 16));
            case 12: return Bytes(random, random.Next(0, 20));
            case 13: return Floats(random);
            case 14: return Doubles(random);
            case 15: return random.Next(3) switch { 0 => (object)random.Next(), 1 => (short)random.Next(short.MinValue, short.MaxValue), _ => (byte)random.Next(256) };
            case 16: return new DateTimeOffset(Instant(random, minYear: 2, maxYear: 9998)).ToOffset(TimeSpan.FromMinutes(random.Next(-12 * 60, 14 * 60)));
            case 17: return Keyword.Intern(random.Next(2) == 0 ? "db/id" : "name");
            case 18: return EdnVector.From(Items(random, depth));
            case 19: return EdnList.From(Items(random, depth));
            case 20: return Map(random, depth);
            case 21: return EdnSet.Create(Items(random, depth));
            case 22: return new List<object?>(Items(random, depth));
            default:
            {
                var d = new Dictionary<string, object?>();
                foreach (var item in Items(random, depth)) d[String(random)] = item;
                return d;
            }
        }
    }

    private static object?[] Items(Random random, int depth)
    {
        var items = new object?[random.Next(0, 6)];
        for (int i = 0; i < items.Length; i++) items[i] = Value(random, depth - 1);
        return items;
    }

    private static EdnMap Map(Random random, int depth)
    {
        var map = EdnMap.Empty;
        int n = random.Next(0, random.Next(2) == 0 ? 5 : 14);
        for (int i = 0; i < n; i++) map = map.With(Value(random, depth - 1), Value(random, depth - 1));
        return map;
    }

    private static long Long(Random random) => random.Next(6) switch
    {
        0 => random.Next(-200, 1200),
        1 => long.MaxValue,
        2 => long.MinValue,
        _ => random.NextInt64(long.MinValue, long.MaxValue),
    };

    private static BigInteger BigInt(Random random)
    {
        if (random.Next(4) == 0) return new BigInteger(random.Next(-5, 5));
        return new BigInteger(Bytes(random, random.Next(9, 40)));
    }

    private static double Double(Random random) => random.Next(8) switch
    {
        0 => double.NaN,
        1 => random.Next(2) == 0 ? double.PositiveInfinity : double.NegativeInfinity,
        2 => random.Next(2) == 0 ? 0.0 : -0.0,
        3 => Math.Round(random.NextDouble() * 1000, random.Next(4)),
        4 => Math.Pow(10, random.Next(-12, 25)) * (random.Next(2) == 0 ? 1 : -1.5),
        _ => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue)),
    };

    private static decimal Decimal(Random random) => random.Next(3) switch
    {
        0 => random.Next(-1000, 1000) / 100m,
        1 => decimal.MaxValue,
        _ => new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(29)),
    };

    private static string String(Random random)
    {
        var sb = new StringBuilder();
        int n = random.Next(0, 6);
        for (int i = 0; i < n; i++)
        {
            if (random.Next(3) == 0) sb.Append((char)random.Next(0, 0x10000));
            else sb.Append(StringPieces[random.Next(StringPieces.Length)]);
        }
        return sb.ToString();
    }

    private static string Name(Random random, bool allowNamespace)
    {
        string Part()
        {
            var sb = new StringBuilder();
            sb.Append(NameStart[random.Next(NameStart.Length)]);
            int n = random.Next(0, 8);
            for (int i = 0; i < n; i++) sb.Append(NameRest[random.Next(NameRest.Length)]);
            return sb.ToString();
        }
        return allowNamespace && random.Next(2) == 0 ? Part() + "/" + Part() : Part();
    }

    private static Symbol Symbol(Random random)
    {
        switch (random.Next(10))
        {
            case 0: return Hike.Edn.Symbol.Intern("/");
            case 1: return Hike.Edn.Symbol.Intern("clojure.core//");
            case 2: return Hike.Edn.Symbol.Intern(random.Next(2) == 0 ? "..." : "-");
        }
        string name;
        do
        {
            name = Name(random, allowNamespace: true);
        }
        while (name is "nil" or "true" or "false");
        return Hike.Edn.Symbol.Intern(name);
    }

    private static DateTime Instant(Random random, int minYear = 1, int maxYear = 9999)
    {
        long minMs = new DateTime(minYear, 1, 1).Ticks / TimeSpan.TicksPerMillisecond;
        long maxMs = new DateTime(maxYear, 12, 31, 23, 59, 59, 999).Ticks / TimeSpan.TicksPerMillisecond;
        return new DateTime(random.NextInt64(minMs, maxMs + 1) * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    private static byte[] Bytes(Random random, int n)
    {
        var bytes = new byte[n];
        random.NextBytes(bytes);
        return bytes;
    }

    private static float[] Floats(Random random)
    {
        var floats = new float[random.Next(0, 6)];
        for (int i = 0; i < floats.Length; i++)
        {
            floats[i] = random.Next(4) == 0
                ? (float)Math.Round(random.NextDouble() * 10, 2)
                : BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
        }
        return floats;
    }

    private static double[] Doubles(Random random)
    {
        var doubles = new double[random.Next(0, 6)];
        for (int i = 0; i < doubles.Length; i++) doubles[i] = Double(random);
        return doubles;
    }
}
