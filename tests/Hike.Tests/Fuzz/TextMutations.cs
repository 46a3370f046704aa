using System.Text;

namespace Hike.Tests.Fuzz;

/// <summary>Small random edits of text, steered towards the EDN reader's edge cases by a list of fragments.</summary>
internal static class TextMutations
{
    // Fragments that steer mutations towards the reader's edge cases.
    private static readonly string[] Fragments =
    [
        "#", "##", "#_", "#{", "#:", "#::", "#inst", "#uuid", "#hike/floats", "#hike/bytes", "#hike/doubles", "#foo",
        "\\", "\\u", "\\o", "\"", "\\\"", ":", "::", "/", "//", "(", ")", "[", "]", "{", "}", ";", "\n", ",", " ",
        "0x", "2r", "36r", "1/2", "N", "M", "e", ".", "-", "+", "'", "`", "~", "@", "^", "\ud83d", "\u00a0", "\0",
    ];

    /// <summary><paramref name="text"/> with one to three random insertions, deletions or truncations.</summary>
    public static string Mutate(Random random, string text)
    {
        var sb = new StringBuilder(text);
        int edits = random.Next(1, 4);
        for (int k = 0; k < edits; k++)
        {
            int at = random.Next(sb.Length + 1);
            switch (random.Next(4))
            {
                case 0:
                    sb.Insert(at, Fragments[random.Next(Fragments.Length)]);
                    break;
                case 1:
                    if (at < sb.Length) sb.Remove(at, Math.Min(random.Next(1, 4), sb.Length - at));
                    break;
                case 2:
                    sb.Insert(at, (char)random.Next(0, 128));
                    break;
                default:
                    sb.Length = at;
                    break;
            }
        }
        return sb.ToString();
    }
}
