using Hike.Api;
using Hike.Edn;
using Hike.Testing;

namespace Hike.Server.Tests;

/// <summary>
/// The distributed setup with real processes: the server owns the writer of a database on the file store
/// or on S3 (whose credentials only the server's config holds, <c>:databases</c>); three client processes
/// transact through <c>:writer :datahike-server</c> at once, while three reader processes follow
/// <c>/listen</c> and read each commit — two from the store themselves, one, without access to it, as a
/// remote peer through the server (the test itself holds the server).
/// </summary>
public sealed class MultiProcessTests
{
    private const string Token = "multi-process";
    private const string Schema = "[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}]";
    private const int Writers = 3, Readers = 3, PerWriter = 20;

    [Theory]
    [InlineData("file")]
    [InlineData("s3")]
    public async Task Remote_writers_and_listening_readers_converge_on_one_commit_losing_nothing_and_seeing_every_commit_once(string backend)
    {
        using var dir = new TempDirectory();
        string id = Guid.NewGuid().ToString();
        var local = (backend == "s3" ? TestServers.S3(id, ":fencing :none") : new DatabaseConfig { Store = StoreConfig.File(dir.Path) }) with { InitialTx = EdnReader.Read(Schema) };
        await Database.CreateAsync(local);
        await using var server = await TestServer.StartAsync(new ServerConfig { Token = Token, Databases = [local] });
        string url = server.Client.BaseAddress!.ToString();
        // What clients send holds no credentials: the server has its own, the processes reading S3 theirs.
        string configText = EdnPrinter.Print(local.ToEdn());
        var credentials = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER" };
        var none = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null };
        var (status, _) = await server.SendAsync(HttpMethod.Post, "connect", $"[{configText}]", Token, "application/edn");
        Assert.Equal(200, status);
        string store = backend == "s3" ? $"s3:{id}" : "file:" + Path.GetFullPath(dir.Path);
        var remote = EdnMap.Of(Keyword.Intern("backend"), Keyword.Intern("datahike-server"), Keyword.Intern("url"), url, Keyword.Intern("token"), Token);
        string peerConfig = EdnPrinter.Print(local.ToEdn().With(Keyword.Intern("remote-peer"), remote));

        var readers = Enumerable.Range(0, Readers).Select(r => r == 0
            ? new ChildProcess(none, "listen", peerConfig, url, Token, store)
            : new ChildProcess(credentials, "listen", configText, url, Token, store)).ToList();
        try
        {
            foreach (var reader in readers) Assert.Equal("listening", reader.NextLine(TimeSpan.FromMinutes(1)));
            string writerConfig = EdnPrinter.Print(local.ToEdn().With(Keyword.Intern("writer"), remote));
            var writers = Enumerable.Range(0, Writers).Select(w => new ChildProcess(credentials, "write-n", writerConfig, (w * 1000 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), PerWriter.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            var acked = new List<long>();
            foreach (var writer in writers)
            {
                using (writer)
                {
                    Assert.True(writer.WaitForExit(TimeSpan.FromMinutes(2)) == 0, writer.StandardError);
                    acked.AddRange(writer.RemainingLines().Select(l => long.Parse(l["ack ".Length..], System.Globalization.CultureInfo.InvariantCulture)));
                }
            }
            Assert.Equal(Writers * PerWriter, acked.Count);

            // Nothing acknowledged is lost: the store holds every transaction, whole.
            using (var check = await Database.ConnectAsync(local))
            {
                var values = ((System.Collections.IEnumerable)Datalog.Q("[:find [?n ...] :where [_ :n ?n]]", check.Db)!).Cast<long>().ToHashSet();
                Assert.All(acked, i => Assert.True(values.Contains(i) && values.Contains(-i), $"transaction {i} is missing"));
            }
            var (_, db) = await server.SendAsync(HttpMethod.Post, "db", $"[{(await server.SendAsync(HttpMethod.Post, "connect", $"[{configText}]", Token, "application/edn")).Body}]", Token, "application/edn");
            string final = db[(db.IndexOf(":commit-id #uuid \"", StringComparison.Ordinal) + 18)..][..36];

            // Every reader saw every transaction once, in the same order, the last in the final commit with everything in it.
            var seen = new List<List<string>>();
            foreach (var reader in readers)
            {
                // One report per transaction: transactions committed together share their commit, the final one too.
                var reports = new List<string>();
                string last = "";
                while (reports.Count < Writers * PerWriter)
                {
                    last = reader.NextLine(TimeSpan.FromMinutes(1)) ?? throw new TimeoutException($"a reader saw {reports.Count} reports: {string.Join(", ", reports)}; {reader.StandardError}");
                    Assert.StartsWith("report ", last, StringComparison.Ordinal);
                    reports.Add(last.Split(' ')[1]);
                }
                Assert.StartsWith($"report {final}/", last, StringComparison.Ordinal);
                Assert.Equal($"{Writers * PerWriter}", last.Split(' ')[2]);
                Assert.Equal(Writers * PerWriter, reports.Distinct().Count());
                seen.Add(reports);
            }
            Assert.All(seen, reports => Assert.Equal(seen[0], reports));
        }
        finally
        {
            foreach (var reader in readers) reader.Dispose();
        }
    }
}
