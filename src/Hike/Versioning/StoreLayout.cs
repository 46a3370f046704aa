using System.Buffers;
using System.Text;
using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Stored;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// The keys a database uses in its store: <c>config</c> holds the creation config; <c>format</c> the
/// store format's version; <c>heads/&lt;branch&gt;</c> the branch's newest commit; <c>branches</c>
/// the branch set; everything else is in immutable packs (<see cref="Index.Stored.Packs"/>). These, and
/// nothing else, are a database's own keys: deleting a database deletes only them.
/// </summary>
internal static class StoreLayout
{
    public const string ConfigKey = "config";
    public const string FormatKey = "format";
    public const string BranchesKey = "branches";
    public const string HeadsPrefix = "heads/";
    public const string QuarantineKey = "quarantine";

    /// <summary>
    /// The store format this build writes: 2 encodes branch names injectively and records in each head
    /// the extent of the pack written with it; 3 lets a head carry its commit record. Stores without a
    /// <c>format</c> key are version 1.
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>
    /// The longest branch name, in UTF-8 bytes: its key segment (hex-encoded, with a prefix, at worst)
    /// must fit a file name of 255 bytes.
    /// </summary>
    public const int MaxBranchNameBytes = 126;

    private const string EncodedPrefix = "x-";

    private static readonly SearchValues<char> PlainChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>The key of <paramref name="branch"/>'s head; <c>branch/invalid</c> when the name is too long to store.</summary>
    public static string HeadKey(Keyword branch) => HeadsPrefix + BranchSegment(branch);

    /// <summary>
    /// The head key format 1 used: plain names as they are, others hex-encoded behind <c>x-</c>, so a
    /// plain name starting with <c>x-</c> could alias an encoded one. Read only to upgrade such stores.
    /// </summary>
    public static string LegacyHeadKey(Keyword branch)
    {
        var name = branch.FullName;
        return HeadsPrefix + (name.AsSpan().IndexOfAnyExcept(PlainChars) < 0 ? name : EncodedPrefix + Hex(name));
    }

    /// <summary>Throws <c>branch/invalid</c> unless <paramref name="branch"/> can name a stored branch.</summary>
    public static void ValidateBranch(Keyword branch) => _ = BranchSegment(branch);

    /// <summary>
    /// The branch a head key names, or null when the key is not a head key this format writes: the
    /// encoding is injective, so every head file names exactly one branch.
    /// </summary>
    public static Keyword? BranchOfHeadKey(string key)
    {
        if (!key.StartsWith(HeadsPrefix, StringComparison.Ordinal)) return null;
        var segment = key[HeadsPrefix.Length..];
        string name;
        if (segment.StartsWith(EncodedPrefix, StringComparison.Ordinal))
        {
            try
            {
                name = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromHexString(segment.AsSpan(EncodedPrefix.Length)));
            }
            catch (Exception e) when (e is FormatException or DecoderFallbackException)
            {
                return null;
            }
        }
        else
        {
            name = segment;
        }
        if (name.Length == 0 || Encoding.UTF8.GetByteCount(name) > MaxBranchNameBytes || HeadsPrefix + BranchSegment(name) != key) return null;
        // The colon keeps a name that itself starts with one intact (Intern drops one leading colon).
        return Keyword.Intern(":" + name);
    }

    /// <summary>
    /// Whether <paramref name="key"/> is one a database wrote, by its name and its content: config,
    /// format, the branch set, a head or a segment, each starting as Hike writes it. Other keys in the
    /// store — a user's files beside the database, even under names Hike could use — are not Hike's.
    /// </summary>
    public static bool IsOwnKey(IKeyValueStore store, string key)
    {
        if (Packs.TryParseKey(key, out _)) return Packs.LooksLikeSegment(store, key);
        byte kind = key switch
        {
            ConfigKey => Envelope.KindConfig,
            FormatKey => Envelope.KindFormat,
            BranchesKey => Envelope.KindBranches,
            QuarantineKey => Envelope.KindQuarantine,
            _ when BranchOfHeadKey(key) is not null => Envelope.KindHead,
            _ => 0,
        };
        return kind != 0 && store.Get(key) is { } bytes && Envelope.LooksLike(bytes, kind);
    }

    /// <summary>
    /// Whether the store holds a database: its config opens as a Hike config. A <c>config</c> that is
    /// not a Hike object at all (a user's file of that name) means no; one that is but fails its check
    /// is a damaged database, a <see cref="CorruptionException"/>.
    /// </summary>
    public static bool HoldsDatabase(IKeyValueStore store) => IsDatabaseConfig(store.Get(ConfigKey));

    /// <summary>Whether <paramref name="bytes"/>, read from <see cref="ConfigKey"/>, are a database's config (see <see cref="HoldsDatabase"/>).</summary>
    public static bool IsDatabaseConfig(byte[]? bytes)
    {
        if (bytes is null || !Envelope.LooksLike(bytes, Envelope.KindConfig)) return false;
        _ = Envelope.Open(bytes, ConfigKey, Envelope.KindConfig);
        return true;
    }

    /// <summary>
    /// Deletes a database's own keys and nothing else: segments and heads first, the config last, so a
    /// deletion cut short by a crash leaves a store that still says it holds a database (and is deleted
    /// by running it again). Durable when it returns.
    /// </summary>
    public static void DeleteDatabase(IKeyValueStore store)
    {
        foreach (var key in store.List("").Where(k => k != ConfigKey && IsOwnKey(store, k)).ToList()) store.Delete(key);
        store.Sync();
        store.Delete(ConfigKey);
        store.Sync();
    }

    /// <summary>
    /// The segments recovery set aside because they cannot be read as packs: garbage collection neither
    /// scans nor trims them, and deletes one only when no live object is in it.
    /// </summary>
    public static HashSet<string> ReadQuarantine(IKeyValueStore store)
    {
        var bytes = store.Get(QuarantineKey);
        if (bytes is null) return [];
        var set = ValueCodec.Decode(Envelope.Open(bytes, QuarantineKey, Envelope.KindQuarantine), QuarantineKey) as EdnSet
            ?? throw Errors.Corrupt(QuarantineKey, "it is not a set");
        return [.. set.Select(k => k as string is { } key && Packs.TryParseKey(key, out _) ? key : throw Errors.Corrupt(QuarantineKey, "it lists something that is not a segment"))];
    }

    /// <summary>Records the quarantined segments; durable at the next sync.</summary>
    public static void WriteQuarantine(IKeyValueStore store, IEnumerable<string> segments)
    {
        var list = segments.Order(StringComparer.Ordinal).ToList();
        if (list.Count == 0) store.Delete(QuarantineKey);
        else store.Put(QuarantineKey, Envelope.Seal(Envelope.KindQuarantine, ValueCodec.Encode(EdnSet.Create(list.Cast<object?>()))));
    }

    /// <summary>The store format version of a store that holds a database.</summary>
    public static int ReadFormat(IKeyValueStore store) => DecodeFormat(store.Get(FormatKey));

    /// <summary>The store format version <paramref name="bytes"/>, read from <see cref="FormatKey"/>, record (absent: 1).</summary>
    public static int DecodeFormat(byte[]? bytes)
    {
        if (bytes is null) return 1;
        var source = new ByteSource(Envelope.Open(bytes, FormatKey, Envelope.KindFormat));
        try
        {
            return (int)source.ReadVarUInt64();
        }
        catch (MalformedDataException e)
        {
            throw Errors.Corrupt(FormatKey, e.Message);
        }
    }

    /// <summary>Records the format version this build writes; durable at the next sync.</summary>
    public static void WriteFormat(IKeyValueStore store)
    {
        using var sink = new ByteSink(8);
        sink.WriteVarUInt64(FormatVersion);
        store.Put(FormatKey, Envelope.Seal(Envelope.KindFormat, sink.WrittenSpan));
    }

    private static string BranchSegment(Keyword branch) => BranchSegment(branch.FullName);

    /// <summary>
    /// A branch name as a key segment: as it is when it is made of key characters, is not <c>.</c>,
    /// holds no <c>..</c> and does not start with <c>x-</c>; else <c>x-</c> and its UTF-8 bytes in hex.
    /// Plain segments never start with <c>x-</c> and encoded ones always do, so no two names share one.
    /// </summary>
    private static string BranchSegment(string name)
    {
        int bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxBranchNameBytes)
            throw Errors.BranchInvalid(name, $"it is {bytes} bytes long in UTF-8; branch names have at most {MaxBranchNameBytes}");
        bool plain = name.Length > 0 && name.AsSpan().IndexOfAnyExcept(PlainChars) < 0 && name != "."
            && !name.Contains("..", StringComparison.Ordinal) && !name.StartsWith(EncodedPrefix, StringComparison.Ordinal);
        return plain ? name : EncodedPrefix + Hex(name);
    }

    private static string Hex(string name) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(name));
}
