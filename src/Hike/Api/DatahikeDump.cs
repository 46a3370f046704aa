using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hike.Db;
using Hike.Edn;

namespace Hike.Api;

/// <summary>
/// A dump written by Datahike's <c>datahike.migrate/export-db</c>: a directory holding
/// <c>manifest.edn</c> and chunks <c>datoms-NNNNNN.cbor[.gz]</c>, each an RFC 8742 sequence of CBOR
/// records <c>[e a v t added]</c> (datahike/migrate/manifest.cljc, cbor.cljc, compress.cljc,
/// store.cljc); or an old single-file CBOR dump, the same records in one file (migrate/legacy.clj).
/// <see cref="Open"/> checks the manifest, <see cref="Verify"/> reads every chunk once (its SHA-256,
/// which Datahike takes over the uncompressed bytes, then every record), and <see cref="Records"/>
/// reads them again for the load, one chunk in memory at a time. Single use, not thread-safe.
/// </summary>
internal sealed partial class DatahikeDump
{
    /// <summary>The manifest format this reads (manifest.cljc, <c>format-version</c>).</summary>
    public const long FormatVersion = 1;

    private static readonly Keyword FormatVersionKey = Keyword.Intern("datahike.migrate/format-version");
    private static readonly Keyword ChunksKey = Keyword.Intern("chunks");
    private static readonly Keyword FileKey = Keyword.Intern("file");
    private static readonly Keyword CountKey = Keyword.Intern("count");
    private static readonly Keyword Sha256Key = Keyword.Intern("sha256");
    private static readonly Keyword CompressionKey = Keyword.Intern("compression");
    private static readonly Keyword StatsKey = Keyword.Intern("stats");
    private static readonly Keyword SourceConfigKey = Keyword.Intern("source-config");
    private static readonly Keyword KeepHistoryKey = Keyword.Intern("keep-history?");
    private static readonly Keyword SchemaFlexibilityKey = Keyword.Intern("schema-flexibility");

    private readonly string _manifestPath;
    private readonly EdnMap? _manifest;
    private readonly List<Chunk> _chunks;
    private readonly bool _gzip;

    private DatahikeDump(string manifestPath, EdnMap? manifest, List<Chunk> chunks, bool gzip)
    {
        _manifestPath = manifestPath;
        _manifest = manifest;
        _chunks = chunks;
        _gzip = gzip;
    }

    /// <summary>True for a directory holding a <c>manifest.edn</c>.</summary>
    public static bool IsDumpDirectory(string path) => Directory.Exists(path) && File.Exists(System.IO.Path.Combine(path, "manifest.edn"));

    /// <summary>The dump at <paramref name="path"/>, its manifest checked (nothing of its chunks is read yet).</summary>
    public static DatahikeDump Open(string path)
    {
        if (File.Exists(path)) return new DatahikeDump(path, null, [new Chunk(path, null, null)], gzip: false);
        if (!Directory.Exists(path)) throw Errors.ImportNotADump(path, "does not exist");
        var manifestPath = System.IO.Path.Combine(path, "manifest.edn");
        if (!File.Exists(manifestPath)) throw Errors.ImportNotADump(path, "has no manifest.edn (Datahike writes it last, so a dump without one is not finished)");
        object? form;
        try
        {
            form = EdnReader.Read(File.ReadAllText(manifestPath));
        }
        catch (HikeException e)
        {
            throw Errors.InContext(e, $"{manifestPath}: {e.Message}");
        }
        if (form is not EdnMap manifest) throw Errors.ImportNotADump(path, "has a manifest.edn that is not a map");
        var version = manifest.Get(FormatVersionKey);
        if (version is null) throw Errors.ImportNotADump(path, $"has a manifest without {FormatVersionKey}");
        if (version is not long v) throw Errors.ImportNotADump(path, $"has {FormatVersionKey} {Errors.Show(version)}, which is no format version");
        if (v > FormatVersion) throw Errors.ImportUnsupportedFormatVersion(manifestPath, version, FormatVersion);
        var compression = manifest.Get(CompressionKey, Keyword.Intern("none"));
        bool gzip = compression switch
        {
            Keyword { FullName: "gzip" } => true,
            Keyword { FullName: "none" } => false,
            _ => throw Errors.ImportUnsupportedCompression(manifestPath, compression),
        };
        var chunks = new List<Chunk>();
        foreach (var entry in manifest.Get(ChunksKey) as IEnumerable<object?> ?? [])
        {
            var chunk = entry as EdnMap;
            var file = chunk?.Get(FileKey);
            if (file is not string name || !ChunkName().IsMatch(name)) throw Errors.ImportBadChunkPath(manifestPath, file);
            if (chunk!.Get(Sha256Key) is not string sha) throw Errors.ImportMissingChecksum(manifestPath, name);
            chunks.Add(new Chunk(System.IO.Path.Combine(path, name), sha, chunk.Get(CountKey) as long?));
        }
        if (manifest.Get(StatsKey) is EdnMap stats
            && stats.Get(Keyword.Intern("datom-count")) is long written
            && stats.Get(Keyword.Intern("source-datom-count")) is long source
            && stats.Get(Keyword.Intern("transformed?")) is not true
            && written < source)
        {
            // manifest.cljc, unexplained-shortfall: a dump agrees with itself even when records were lost on the way out.
            throw Errors.ImportIncompleteDump(manifestPath, written, source);
        }
        return new DatahikeDump(manifestPath, manifest, chunks, gzip);
    }

    /// <summary>
    /// Refuses a target Datahike would refuse: one that already holds transactions, or whose
    /// <c>:keep-history?</c> or <c>:schema-flexibility</c> differs from the source's (manifest.cljc,
    /// <c>config-must-match</c>; <c>:attribute-refs?</c> is not compared, as Hike keeps attributes as
    /// keywords and a dump's system references become their idents).
    /// </summary>
    public void CheckTarget(Database target)
    {
        var state = target.State;
        if (state.MaxTx > Ids.Tx0) throw Errors.ImportNonEmptyTarget(state.MaxTx - Ids.Tx0);
        if (_manifest?.Get(SourceConfigKey) is not EdnMap config) return;
        if (config.Get(KeepHistoryKey) is bool history && history != state.Options.KeepHistory)
        {
            throw Errors.ImportConfigMismatch(_manifestPath, KeepHistoryKey, history, state.Options.KeepHistory);
        }
        if (config.Get(SchemaFlexibilityKey) is Keyword flexibility)
        {
            var targetFlexibility = Keyword.Intern(state.Options.SchemaFlexibility == SchemaFlexibility.Write ? "write" : "read");
            if (flexibility != targetFlexibility) throw Errors.ImportConfigMismatch(_manifestPath, SchemaFlexibilityKey, flexibility, targetFlexibility);
        }
    }

    /// <summary>
    /// Reads every chunk (one at a time): it must be there, hash to the manifest's SHA-256,
    /// decompress, and hold the count of well-formed records the manifest says. Returns the records.
    /// </summary>
    public long Verify(CancellationToken cancellationToken)
    {
        long total = 0;
        foreach (var chunk in _chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long count = 0;
            foreach (var _ in Decode(chunk, Load(chunk)))
            {
                if ((++count & 4095) == 0) cancellationToken.ThrowIfCancellationRequested();
            }
            if (chunk.Count is { } expected && expected != count) throw Errors.ImportCorruptChunk(chunk.Path, $"it holds {count} records, the manifest says {expected}");
            total += count;
        }
        return total;
    }

    /// <summary>The records <c>[e a v t added]</c> in the dump's order (transaction order), read again chunk by chunk.</summary>
    public IEnumerable<object?> Records()
    {
        foreach (var chunk in _chunks)
        {
            foreach (var record in Decode(chunk, Load(chunk)))
            {
                // The source's bootstrap transaction (tx0) holds its system schema, which Hike has built in.
                if ((long)record[3]! > Ids.Tx0) yield return record;
            }
        }
    }

    /// <summary>The chunk's uncompressed bytes, checked against its SHA-256.</summary>
    private byte[] Load(Chunk chunk)
    {
        byte[] stored;
        try
        {
            stored = File.ReadAllBytes(chunk.Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Errors.ImportMissingChunk(chunk.Path);
        }
        var bytes = stored;
        if (_gzip)
        {
            try
            {
                // compress.cljc: a chunk is gzip members one after another, which GZipStream reads as one stream.
                using var gzip = new GZipStream(new MemoryStream(stored), CompressionMode.Decompress);
                using var raw = new MemoryStream();
                gzip.CopyTo(raw);
                bytes = raw.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw Errors.ImportCorruptChunk(chunk.Path, $"it does not decompress (gzip): {e.Message}");
            }
        }
        if (chunk.Sha256 is { } expected)
        {
            // compress.cljc: the hash covers the uncompressed records, so it does not depend on the gzip encoder.
            var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)) throw Errors.ImportChecksumFailed(chunk.Path, expected, actual);
        }
        return bytes;
    }

    /// <summary>The chunk's records, each checked to be <c>[e :attribute v t added]</c>.</summary>
    private IEnumerable<EdnVector> Decode(Chunk chunk, byte[] bytes)
    {
        using var items = CborValueReader.ReadSequence(bytes).GetEnumerator();
        long index = 0;
        while (true)
        {
            object? item;
            try
            {
                if (!items.MoveNext()) yield break;
                item = items.Current;
            }
            catch (HikeException e) when (e.Code == ErrorCodes.CborInvalid)
            {
                throw _manifest is null
                    ? Errors.ImportNotADump(chunk.Path, $"does not decode as a single-file CBOR dump (record {index}: {e.Message})")
                    : Errors.ImportCorruptChunk(chunk.Path, $"record {index}: {e.Message}");
            }
            if (item is not EdnVector { Count: 5 } record || record[0] is not long || record[1] is not Keyword || record[2] is null || record[3] is not long || record[4] is not bool)
            {
                throw _manifest is null
                    ? Errors.ImportNotADump(chunk.Path, $"holds {Errors.Show(item)} as record {index}, not [e :attribute v t added]")
                    : Errors.ImportCorruptChunk(chunk.Path, $"record {index} is {Errors.Show(item)}, not [e :attribute v t added]");
            }
            index++;
            yield return record;
        }
    }

    /// <summary>A chunk name as manifest.cljc's <c>chunk-re</c> accepts it: no folder, so nothing outside the dump is read.</summary>
    [GeneratedRegex(@"^datoms-\d{6,}\.cbor(\.gz)?$")]
    private static partial Regex ChunkName();

    private sealed record Chunk(string Path, string? Sha256, long? Count);
}
