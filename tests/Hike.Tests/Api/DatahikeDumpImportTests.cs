using System.Numerics;
using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Testing;
using static Hike.Testing.DatahikeDumpWriter;

namespace Hike.Tests.Api;

/// <summary>
/// Datahike's <c>export-db</c> dumps (manifest.edn and CBOR chunks) imported with
/// <see cref="Connection.ImportDatahikeDumpAsync"/>: every value type, history, transaction metadata,
/// and the refusals that leave the target untouched.
/// </summary>
public sealed class DatahikeDumpImportTests
{
    [Fact]
    public async Task A_Datahike_dump_imports_with_every_value_type_its_history_schema_and_metadata()
    {
        using var dir = new TempDirectory();
        var dump = Sample();
        dump.WriteTo(dir.Path);
        using var target = await Fresh();

        var report = await target.ImportDatahikeDumpAsync(dir.Path);

        Assert.Equal(3, report.Transactions);
        Assert.Equal(dump.Count, report.Datoms);
        var db = target.Db;
        AssertEdn(
            """
            {:name "Alice" :age 31 :ok true :big 123456789012345678901234567890N :score 2.0 :ratio 0.5 :price 1.50M
             :color :color/red :fn clojure.core/inc :uid #uuid "11111111-2222-3333-4444-555555555555"
             :born #inst "1990-05-06T07:08:09.123-00:00" :friend {:name "Bob"} :pair ["a" 1]}
            """,
            db.Pull("[:name :age :ok :big :score :ratio :price :color :fn :uid :born {:friend [:name]} :pair]", EdnReader.Read("[:name \"Alice\"]")!));
        Assert.Equal(new byte[] { 0, 1, 127, 255 }, db.Q("[:find ?b . :where [?e :name \"Alice\"] [?e :blob ?b]]"));
        Assert.IsType<float>(db.Q("[:find ?r . :where [?e :ratio ?r]]"));
        Assert.IsType<double>(db.Q("[:find ?s . :where [?e :score ?s]]"));
        Assert.Equal(2, ((decimal)db.Q("[:find ?p . :where [?e :price ?p]]")!).Scale);
        // The schema came from the system references: :name is unique, the tuple keeps its types.
        AssertEdn("{:db/ident :name :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}",
            db.Pull("[:db/ident :db/valueType :db/cardinality :db/unique]", Hike.Edn.Keyword.Intern("name")));
        AssertEdn("[:db.type/string :db.type/long]", db.Q("[:find ?t . :where [?a :db/ident :pair] [?a :db/tupleTypes ?t]]"));
        // History: 30 asserted in the second transaction, retracted in the third for 31; instants and metadata kept.
        AssertEdn(
            """#{[30 true #inst "2024-03-02T11:30:00.250-00:00"] [30 false #inst "2024-03-03T00:00:00.000-00:00"] [31 true #inst "2024-03-03T00:00:00.000-00:00"]}""",
            db.History().Q("[:find ?age ?added ?when :where [?e :name \"Alice\"] [?e :age ?age ?tx ?added] [?tx :db/txInstant ?when]]"));
        Assert.Equal("nightly", db.Q("[:find ?s . :where [?e :name \"Bob\"] [?e :name _ ?tx] [?tx :source ?s]]"));
        AssertEdn("""[#inst "2024-03-01T10:00:00.000-00:00" #inst "2024-03-02T11:30:00.250-00:00" #inst "2024-03-03T00:00:00.000-00:00"]""",
            EdnVector.From(((IEnumerable<object?>)db.Q("[:find [?when ...] :where [_ :db/txInstant ?when]]")!).OrderBy(x => (DateTime)x!).ToList()));
    }

    [Fact]
    public async Task An_uncompressed_dump_and_an_old_single_file_dump_import_the_same_datoms()
    {
        using var dir = new TempDirectory();
        Sample().WriteTo(Path.Combine(dir.Path, "plain"), gzip: false);
        var legacy = Path.Combine(dir.Path, "old.cbor");
        File.WriteAllBytes(legacy, Sample().Legacy());
        using var plain = await Fresh();
        using var old = await Fresh();

        await plain.ImportDatahikeDumpAsync(Path.Combine(dir.Path, "plain"));
        await old.ImportDatahikeDumpAsync(legacy);

        var query = "[:find ?n ?a :where [?e :name ?n] [(get-else $ ?e :age 0) ?a]]";
        AssertEdn("""#{["Alice" 31] ["Bob" 0]}""", plain.Db.Q(query));
        AssertEdn("""#{["Alice" 31] ["Bob" 0]}""", old.Db.Q(query));
        Assert.Equal(plain.Db.History().Datoms(IndexType.Eavt).Count(), old.Db.History().Datoms(IndexType.Eavt).Count());
    }

    [Fact]
    public async Task A_damaged_chunk_is_refused_by_its_checksum_and_nothing_is_imported()
    {
        using var dir = new TempDirectory();
        var names = Sample().WriteTo(dir.Path, gzip: false);
        var chunk = Path.Combine(dir.Path, names[1]);
        var bytes = File.ReadAllBytes(chunk);
        bytes[^3] ^= 0x01;
        File.WriteAllBytes(chunk, bytes);
        using var target = await Fresh();

        var e = await Assert.ThrowsAsync<HikeException>(() => target.ImportDatahikeDumpAsync(dir.Path));

        Assert.Equal(ErrorCodes.ImportChecksumFailed, e.Code);
        Assert.StartsWith($"Chunk {chunk} is damaged: its SHA-256 is ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("; nothing was imported", e.Message, StringComparison.Ordinal);
        AssertUntouched(target);
    }

    [Fact]
    public async Task A_missing_chunk_is_refused_and_nothing_is_imported()
    {
        using var dir = new TempDirectory();
        var names = Sample().WriteTo(dir.Path);
        File.Delete(Path.Combine(dir.Path, names[1]));
        using var target = await Fresh();

        var e = await Assert.ThrowsAsync<HikeException>(() => target.ImportDatahikeDumpAsync(dir.Path));

        Assert.Equal(ErrorCodes.ImportMissingChunk, e.Code);
        Assert.Equal($"Chunk {Path.Combine(dir.Path, names[1])} named by the dump's manifest does not exist; nothing was imported", e.Message);
        AssertUntouched(target);
    }

    [Fact]
    public async Task A_newer_format_version_is_refused()
    {
        using var dir = new TempDirectory();
        Sample().WriteTo(dir.Path, formatVersion: 2);
        using var target = await Fresh();

        var e = await Assert.ThrowsAsync<HikeException>(() => target.ImportDatahikeDumpAsync(dir.Path));

        Assert.Equal(ErrorCodes.ImportUnsupportedFormatVersion, e.Code);
        Assert.Equal($"{Path.Combine(dir.Path, "manifest.edn")}: dump format version 2 is newer than Hike reads (1); reading it under the older rules would misread it", e.Message);
        AssertUntouched(target);
    }

    [Fact]
    public async Task A_truncated_record_is_refused_even_with_a_matching_checksum_and_nothing_is_imported()
    {
        using var dir = new TempDirectory();
        var dump = Sample();
        // The last record cut short: [200 :age 31 Tx3 true] without its final byte, the chunk hashed as it is.
        var names = dump.WriteTo(dir.Path, gzip: false);
        var chunk = Path.Combine(dir.Path, names[1]);
        var bytes = File.ReadAllBytes(chunk)[..^1];
        File.WriteAllBytes(chunk, bytes);
        var manifest = Path.Combine(dir.Path, "manifest.edn");
        var text = File.ReadAllText(manifest);
        var oldSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData([.. bytes, 0xF5]));
        File.WriteAllText(manifest, text.Replace(oldSha, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), StringComparison.Ordinal));
        using var target = await Fresh();

        var e = await Assert.ThrowsAsync<HikeException>(() => target.ImportDatahikeDumpAsync(dir.Path));

        Assert.Equal(ErrorCodes.ImportCorruptChunk, e.Code);
        Assert.StartsWith($"Chunk {chunk} is corrupt: record 19: Invalid CBOR: truncated data item", e.Message, StringComparison.Ordinal);
        AssertUntouched(target);
    }

    [Fact]
    public async Task A_target_that_holds_transactions_or_another_history_setting_is_refused()
    {
        using var dir = new TempDirectory();
        Sample().WriteTo(dir.Path);
        using var used = await Fresh();
        await used.TransactAsync("[{:db/ident :x :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]");
        using var noHistory = await Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig { KeepHistory = false }));

        var nonEmpty = await Assert.ThrowsAsync<HikeException>(() => used.ImportDatahikeDumpAsync(dir.Path));
        var mismatch = await Assert.ThrowsAsync<HikeException>(() => noHistory.ImportDatahikeDumpAsync(dir.Path));

        Assert.Equal(ErrorCodes.ImportNonEmptyTarget, nonEmpty.Code);
        Assert.Equal(ErrorCodes.ImportConfigMismatch, mismatch.Code);
        Assert.Equal($"{Path.Combine(dir.Path, "manifest.edn")}: the dump was written from a database with :keep-history? true, the target has false; create the target with :keep-history? true", mismatch.Message);
        AssertUntouched(noHistory);
    }

    private static void AssertUntouched(Connection target) => Assert.Equal(536870912L, target.Db.MaxTx);

    private static void AssertEdn(string expected, object? actual) => Assert.True(EdnReader.Read(expected)!.Equals(actual), EdnPrinter.Print(actual));

    private static Task<Connection> Fresh() => Database.CreateAndConnectAsync(TestBackend.Place(new DatabaseConfig()));
}
