using System.Security.Cryptography;
using System.Text;
using Hike.Edn;

namespace Hike.Api;

public static partial class Norms
{
    /// <summary>
    /// The checksum of each norm: id → SHA-512 (lower-case hex) of the norm's <c>:tx-data</c> and
    /// <c>:tx-fn</c> as values, so whitespace, comments and the order of a map's keys do not change it.
    /// </summary>
    // DATAHIKE: Datahike hashes the same two keys with hasch's edn-hash; Hike hashes a canonical EDN text
    // of them, so a checksums.edn written by Datahike fails to verify here until update-checksums rewrites it.
    public static EdnMap ComputeChecksums(IEnumerable<Norm> norms)
    {
        ArgumentNullException.ThrowIfNull(norms);
        var entries = new List<KeyValuePair<object?, object?>>();
        foreach (var norm in norms)
        {
            ArgumentNullException.ThrowIfNull(norm, nameof(norms));
            var text = new StringBuilder();
            Canonical(text, norm.ToEdn());
            entries.Add(new(norm.Id, Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(text.ToString())))));
        }
        entries.Sort((a, b) => string.CompareOrdinal(((Keyword)a.Key!).FullName, ((Keyword)b.Key!).FullName));
        return EdnMap.Create(entries);
    }

    /// <summary>
    /// Checks the norm files of <paramref name="folder"/> against its <c>checksums.edn</c>, as Datahike's
    /// <c>verify-checksums</c>: every norm must have its checksum there and every checksum a norm.
    /// </summary>
    /// <exception cref="HikeException">
    /// <c>norm/checksum</c> naming each norm that changed, has no checksum, or has a checksum but no file;
    /// <c>norm/missing</c> when the folder or its <c>checksums.edn</c> does not exist; as <see cref="ReadFolder"/>.
    /// </exception>
    public static void VerifyChecksums(string folder)
    {
        var computed = ComputeChecksums(ReadFolder(folder));
        string path = Path.Combine(folder, ChecksumsFile);
        if (!File.Exists(path)) throw Errors.NormMissing($"Checksums file {path}");
        object? content;
        try
        {
            content = EdnReader.Read(File.ReadAllText(path));
        }
        catch (HikeException e)
        {
            throw Errors.InContext(e, $"{path}: {e.Message}");
        }
        if (content is not EdnMap recorded) throw Errors.NormInvalid($"{path}: expected a map of norm ids to checksums, not {Errors.Show(content)}");
        var deviations = new List<string>();
        foreach (var (id, sum) in computed.Entries)
        {
            if (!recorded.TryGetValue(id!, out var expected)) deviations.Add($"{id} has no checksum");
            else if (!Equals(expected, sum)) deviations.Add($"{id} changed");
        }
        foreach (var (id, _) in recorded.Entries)
        {
            if (!computed.ContainsKey(id)) deviations.Add($"{Errors.Show(id)} has a checksum but no file");
        }
        if (deviations.Count > 0) throw Errors.NormChecksum(folder, string.Join("; ", deviations));
    }

    /// <summary>
    /// Writes <c>checksums.edn</c> in <paramref name="folder"/> with the checksum of every norm file
    /// there, one per line in id order (so that two branches adding norms conflict in version control),
    /// as Datahike's <c>update-checksums!</c>; returns them.
    /// </summary>
    /// <exception cref="HikeException">As <see cref="ReadFolder"/>.</exception>
    public static EdnMap UpdateChecksums(string folder)
    {
        var checksums = ComputeChecksums(ReadFolder(folder));
        var text = new StringBuilder("{");
        bool first = true;
        foreach (var (id, sum) in checksums.Entries)
        {
            if (!first) text.Append("\n ");
            first = false;
            text.Append(EdnPrinter.Print(id)).Append("\n ").Append(EdnPrinter.Print(sum));
        }
        text.Append("}\n");
        File.WriteAllText(Path.Combine(folder, ChecksumsFile), text.ToString());
        return checksums;
    }

    /// <summary>
    /// <paramref name="value"/> as EDN with map entries and set elements in the ordinal order of their
    /// own canonical text, so equal values have one text whatever order they were written in.
    /// </summary>
    private static void Canonical(StringBuilder text, object? value)
    {
        if (value is EdnSet set)
        {
            text.Append("#{");
            AppendSorted(text, set.Items.ToArray().Select(Text));
            text.Append('}');
        }
        else if (Maps.ToEntries(value) is { } entries)
        {
            text.Append('{');
            AppendSorted(text, entries.Select(e => Text(e.Key) + " " + Text(e.Value)));
            text.Append('}');
        }
        else if (value is EdnList list)
        {
            text.Append('(');
            AppendItems(text, list);
            text.Append(')');
        }
        else if (value is not string && value is not null && ValueEquality.IsSequential(value))
        {
            text.Append('[');
            AppendItems(text, (System.Collections.IEnumerable)value);
            text.Append(']');
        }
        else
        {
            text.Append(EdnPrinter.Print(value));
        }
    }

    private static string Text(object? value)
    {
        var text = new StringBuilder();
        Canonical(text, value);
        return text.ToString();
    }

    private static void AppendSorted(StringBuilder text, IEnumerable<string> parts)
    {
        var sorted = parts.ToList();
        sorted.Sort(StringComparer.Ordinal);
        text.AppendJoin(", ", sorted);
    }

    private static void AppendItems(StringBuilder text, System.Collections.IEnumerable items)
    {
        bool first = true;
        foreach (var item in items)
        {
            if (!first) text.Append(' ');
            first = false;
            Canonical(text, item);
        }
    }
}
