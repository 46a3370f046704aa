using System.Net.Http.Headers;
using System.Text;
using Hike.Api;
using Hike.Edn;
using Hike.Testing;

namespace Hike.Server.Tests;

/// <summary>Stopping a server: the requests in flight are answered, and what it acknowledged is in the store, whose writer lock it then gives back.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task A_stopping_server_answers_the_transactions_in_flight_keeps_every_one_it_acknowledged_and_frees_the_store()
    {
        using var dir = new TempDirectory();
        var local = new DatabaseConfig { Store = StoreConfig.File(dir.Path), InitialTx = EdnReader.Read("[{:db/ident :n :db/valueType :db.type/long :db/cardinality :db.cardinality/one}]") };
        await Database.CreateAsync(local);
        var app = await HikeServer.StartAsync(new ServerConfig { Port = 0 });
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        string conn = await PostAsync(http, "connect", $"[{EdnPrinter.Print(local.ToEdn())}]");

        // Enough work that the stop comes while much of it is on its way: 200 transactions of 50 entities each.
        long stopping = long.MaxValue;
        var sent = Enumerable.Range(0, 200).Select(async t =>
        {
            try
            {
                var entities = string.Join(' ', Enumerable.Range(t * 50 + 1, 50).Select(n => $"{{:n {n}}}"));
                await PostAsync(http, "transact", $"[{conn} [{entities}]]");
                return (Tx: t, Answered: System.Diagnostics.Stopwatch.GetTimestamp());
            }
            catch (Exception e) when (e is HttpRequestException or System.Net.Sockets.SocketException or IOException)
            {
                // Refused, or cut off while the server was going away: not acknowledged.
                return (Tx: -1, Answered: 0L);
            }
        }).ToList();
        await Task.Delay(10);
        stopping = System.Diagnostics.Stopwatch.GetTimestamp();
        await app.StopAsync();
        var answers = await Task.WhenAll(sent);
        var acknowledged = answers.Where(a => a.Tx >= 0).Select(a => a.Tx).ToList();
        await app.DisposeAsync();

        // Some were answered while the server was stopping: it drained them rather than dropping them.
        Assert.Contains(answers, a => a.Tx >= 0 && a.Answered > stopping);
        using var after = await Database.ConnectAsync(local);
        var stored = ((System.Collections.IEnumerable)Datalog.Q("[:find [?n ...] :where [_ :n ?n]]", after.Db)!).Cast<long>().ToHashSet();
        Assert.All(acknowledged, t => Assert.True(Enumerable.Range(t * 50 + 1, 50).All(n => stored.Contains(n)), $"transaction {t} was acknowledged and is not whole in the store"));
        // The server's writer let go of the store: this process writes it now.
        await after.TransactAsync("[{:n 100000}]");
    }

    private static async Task<string> PostAsync(HttpClient http, string route, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/edn");
        using var response = await http.PostAsync("/" + route, content);
        string answer = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? answer : throw new HttpRequestException($"/{route} answered {(int)response.StatusCode}: {answer}");
    }
}
