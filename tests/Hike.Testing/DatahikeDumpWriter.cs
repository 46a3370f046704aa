using System.Formats.Cbor;
using System.IO.Compression;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Hike.Testing;

/// <summary>
/// Writes a Datahike <c>export-db</c> dump by hand, from its documented format and not through Hike's
/// codec: <c>manifest.edn</c> (datahike/migrate/manifest.cljc, <c>build-manifest</c>) and chunks
/// <c>datoms-NNNNNN.cbor[.gz]</c> (migrate/store.cljc, <c>chunk-name</c>), each a CBOR sequence of
/// records <c>[e a v t added]</c> with boring's tags (doc/INTEROP.md of replikativ/boring), the
/// SHA-256 taken over the uncompressed chunk (migrate/compress.cljc). Values are given as
/// <see cref="Cbor"/> writers so a test states each record's bytes.
/// </summary>
public sealed class DatahikeDumpWriter
{
    private readonly List<List<byte[]>> _chunks = [[]];

    /// <summary>Writes one CBOR value.</summary>
    public delegate void Cbor(CborWriter writer);

    /// <summary>
    /// The dump an attribute-refs Datahike database writes for: a schema transaction (schema values
    /// as system references), one transaction with every value type, a ref and metadata on the
    /// transaction, and one that replaces a value (a retraction in history). Records in the order
    /// export-db sorts them (doc/migration.md: t, txInstant first, e, a, op).
    /// </summary>
    public static DatahikeDumpWriter Sample()
    {
        const long Tx1 = 536870913, Tx2 = 536870914, Tx3 = 536870915;
        var dump = new DatahikeDumpWriter();
        dump.Record(Tx1, "db/txInstant", Instant("2024-03-01T10:00:00Z"), Tx1);
        (string Ident, string Type, bool Unique)[] attributes =
        [
            ("name", "db.type/string", true), ("age", "db.type/long", false), ("ok", "db.type/boolean", false),
            ("big", "db.type/bigint", false), ("score", "db.type/double", false), ("ratio", "db.type/float", false),
            ("price", "db.type/bigdec", false), ("color", "db.type/keyword", false), ("fn", "db.type/symbol", false),
            ("uid", "db.type/uuid", false), ("born", "db.type/instant", false), ("friend", "db.type/ref", false),
            ("blob", "db.type/bytes", false), ("pair", "db.type/tuple", false), ("source", "db.type/string", false),
        ];
        for (int i = 0; i < attributes.Length; i++)
        {
            var (ident, type, unique) = attributes[i];
            long e = 100 + i;
            dump.Record(e, "db/cardinality", SysRef("db.cardinality/one"), Tx1);
            dump.Record(e, "db/ident", Keyword(ident), Tx1);
            if (type == "db.type/tuple") dump.Record(e, "db/tupleTypes", Vector(Keyword("db.type/string"), Keyword("db.type/long")), Tx1);
            if (unique) dump.Record(e, "db/unique", SysRef("db.unique/identity"), Tx1);
            dump.Record(e, "db/valueType", SysRef(type), Tx1);
        }
        dump.NextChunk();
        dump.Record(Tx2, "db/txInstant", Instant("2024-03-02T11:30:00.250Z"), Tx2);
        dump.Record(Tx2, "source", Text("nightly"), Tx2);
        dump.Record(200, "age", Long(30), Tx2);
        dump.Record(200, "big", BigInt(BigInteger.Parse("123456789012345678901234567890")), Tx2);
        dump.Record(200, "blob", Bytes(0, 1, 127, 255), Tx2);
        dump.Record(200, "born", Instant("1990-05-06T07:08:09.123Z"), Tx2);
        dump.Record(200, "color", Keyword("color/red"), Tx2);
        dump.Record(200, "fn", Symbol("clojure.core/inc"), Tx2);
        dump.Record(200, "friend", Long(201), Tx2);
        dump.Record(200, "name", Text("Alice"), Tx2);
        dump.Record(200, "ok", Bool(true), Tx2);
        dump.Record(200, "pair", Vector(Text("a"), Long(1)), Tx2);
        dump.Record(200, "price", BigDec(-2, 150), Tx2);
        dump.Record(200, "ratio", Float(0.5f), Tx2);
        dump.Record(200, "score", Double(2.0), Tx2);
        dump.Record(200, "uid", Uuid("11111111-2222-3333-4444-555555555555"), Tx2);
        dump.Record(201, "name", Text("Bob"), Tx2);
        dump.Record(Tx3, "db/txInstant", Instant("2024-03-03T00:00:00Z"), Tx3);
        dump.Record(200, "age", Long(30), Tx3, added: false);
        dump.Record(200, "age", Long(31), Tx3);
        return dump;
    }

    /// <summary>Adds a record <c>[e a v t added]</c> to the current chunk.</summary>
    public DatahikeDumpWriter Record(long e, string attribute, Cbor value, long t, bool added = true)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartArray(5);
        writer.WriteInt64(e);
        Keyword(attribute)(writer);
        value(writer);
        writer.WriteInt64(t);
        writer.WriteBoolean(added);
        writer.WriteEndArray();
        _chunks[^1].Add(writer.Encode());
        return this;
    }

    /// <summary>Starts the next chunk.</summary>
    public DatahikeDumpWriter NextChunk()
    {
        _chunks.Add([]);
        return this;
    }

    /// <summary>The records written so far.</summary>
    public int Count => _chunks.Sum(c => c.Count);

    /// <summary>
    /// Writes the dump into <paramref name="directory"/>; <paramref name="extraManifest"/> is added
    /// to the manifest map's text (e.g. <c>:stats {...}</c>). Returns the chunk file names.
    /// </summary>
    public IReadOnlyList<string> WriteTo(string directory, bool gzip = true, long formatVersion = 1, string sourceConfig = "{:store-backend :file :attribute-refs? true :keep-history? true :schema-flexibility :write :index :datahike.index/persistent-set}")
    {
        Directory.CreateDirectory(directory);
        var names = new List<string>();
        var entries = new StringBuilder();
        for (int i = 0; i < _chunks.Count; i++)
        {
            var raw = _chunks[i].SelectMany(b => b).ToArray();
            var name = $"datoms-{i + 1:D6}.cbor" + (gzip ? ".gz" : "");
            var stored = gzip ? Gzip(raw) : raw;
            File.WriteAllBytes(Path.Combine(directory, name), stored);
            names.Add(name);
            entries.Append($"{{:file \"{name}\" :count {_chunks[i].Count} :bytes {stored.Length} :raw-bytes {raw.Length} :sha256 \"{Convert.ToHexStringLower(SHA256.HashData(raw))}\"}} ");
        }
        var manifest = $"{{:datahike.migrate/format-version {formatVersion} :history? true :serialization :cbor-seq " +
            $":datahike/meta {{:datahike/version \"0.7.1\"}} :requires [:datahike.migrate/cbor-seq :datahike.migrate/history] " +
            $":source-config {sourceConfig} :stats {{:datom-count {Count} :source-datom-count {Count} :transformed? false :max-eid 20 :max-tx 536870915}} " +
            $":compression {(gzip ? ":gzip" : ":none")} :chunks [{entries}]}}";
        File.WriteAllText(Path.Combine(directory, "manifest.edn"), manifest);
        return names;
    }

    /// <summary>The records as one CBOR sequence: the old single-file dump (migrate/legacy.clj).</summary>
    public byte[] Legacy() => _chunks.SelectMany(c => c).SelectMany(b => b).ToArray();

    /// <summary>Two gzip members, as Datahike writes a chunk in blocks (compress.cljc): a reader must take both.</summary>
    private static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        int half = raw.Length / 2;
        foreach (var (start, length) in new[] { (0, half), (half, raw.Length - half) })
        {
            using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            gzip.Write(raw, start, length);
        }
        return output.ToArray();
    }

    // The values, with the tags boring writes (doc/INTEROP.md, doc/COMPATIBILITY.md).

    public static Cbor Long(long v) => w => w.WriteInt64(v);

    public static Cbor Text(string v) => w => w.WriteTextString(v);

    public static Cbor Bool(bool v) => w => w.WriteBoolean(v);

    /// <summary>f64 always, as boring's :preserve-width writes a double.</summary>
    public static Cbor Double(double v) => w => w.WriteEncodedValue([0xFB, .. BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(v)).Reverse()]);

    /// <summary>f32 always.</summary>
    public static Cbor Float(float v) => w => w.WriteEncodedValue([0xFA, .. BitConverter.GetBytes(BitConverter.SingleToInt32Bits(v)).Reverse()]);

    /// <summary>Tag 39 over <c>":ns/name"</c>.</summary>
    public static Cbor Keyword(string fullName) => w =>
    {
        w.WriteTag((CborTag)39);
        w.WriteTextString(":" + fullName);
    };

    /// <summary>Tag 39 over <c>"ns/name"</c>.</summary>
    public static Cbor Symbol(string fullName) => w =>
    {
        w.WriteTag((CborTag)39);
        w.WriteTextString(fullName);
    };

    /// <summary>Tag 2 (or 3) over the big-endian magnitude.</summary>
    public static Cbor BigInt(BigInteger v) => w =>
    {
        w.WriteTag(v.Sign < 0 ? CborTag.NegativeBigNum : CborTag.UnsignedBigNum);
        w.WriteByteString((v.Sign < 0 ? BigInteger.MinusOne - v : v).ToByteArray(isUnsigned: true, isBigEndian: true));
    };

    /// <summary>Tag 4 over <c>[exponent mantissa]</c>.</summary>
    public static Cbor BigDec(long exponent, long mantissa) => w =>
    {
        w.WriteTag(CborTag.DecimalFraction);
        w.WriteStartArray(2);
        w.WriteInt64(exponent);
        w.WriteInt64(mantissa);
        w.WriteEndArray();
    };

    /// <summary>Tag 37 over the 16 bytes.</summary>
    public static Cbor Uuid(string text) => w =>
    {
        w.WriteTag((CborTag)37);
        w.WriteByteString(Guid.Parse(text).ToByteArray(bigEndian: true));
    };

    /// <summary>Tag 0 over RFC 3339 text, as boring writes an instant.</summary>
    public static Cbor Instant(string rfc3339) => w =>
    {
        w.WriteTag(CborTag.DateTimeString);
        w.WriteTextString(rfc3339);
    };

    /// <summary>Tag 1 over epoch seconds as a double, as the old dumps hold an instant.</summary>
    public static Cbor EpochInstant(double seconds) => w =>
    {
        w.WriteTag(CborTag.UnixTimeSeconds);
        w.WriteEncodedValue([0xFB, .. BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(seconds)).Reverse()]);
    };

    public static Cbor Bytes(params byte[] v) => w => w.WriteByteString(v);

    public static Cbor Vector(params Cbor[] items) => w =>
    {
        w.WriteStartArray(items.Length);
        foreach (var item in items) item(w);
        w.WriteEndArray();
    };

    /// <summary>A dump's reference to a system entity: <c>27(["datahike.migrate.cbor.SysRef" {:ident ident}])</c> (migrate/cbor.cljc).</summary>
    public static Cbor SysRef(string ident) => w =>
    {
        w.WriteTag((CborTag)27);
        w.WriteStartArray(2);
        w.WriteTextString("datahike.migrate.cbor.SysRef");
        w.WriteStartMap(1);
        Keyword("ident")(w);
        Keyword(ident)(w);
        w.WriteEndMap();
        w.WriteEndArray();
    };
}
