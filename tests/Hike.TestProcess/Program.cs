using System.Collections;
using Hike;
using Hike.Api;

// The other process of the durability tests. Every transaction adds two entities, :n i and :n -i, so
// a reader can tell a whole commit from a torn one. <dir> is a file store's folder, or a whole EDN
// config ({:store {...}}) for a database on another backend. Output lines are the protocol:
//   write <dir> <from> <submitters>   transacts forever from i = <from>, printing "ack i" once durable;
//                                     waits for a writer lease another writer still holds
//   hold <dir>                        becomes the writer, prints "writing", waits to be killed
//   read <dir> <count>                reads <count> snapshots 2 ms apart, checking each; prints "seen k" per snapshot
//   try-write <dir>                   tries one transaction; prints "ok" or "error <code>"
//   gc <dir> <ticks>                  prints "collecting", collects what commits before <ticks> (UTC) alone reach, prints "collected <ms>"
//   write-n <dir> <from> <count>      transacts i = <from> .. <from> + <count> - 1 one after another, printing "ack i", then exits
//                                     (with a config holding a :writer, through that writer)
//   search <dir> <attr> <query>       prints "hit <value>" per full-text match (best first), then "hits <n>"
//   listen <dir> <url> <token> <store>
//                                     follows <url>/listen?store=<store>; per report prints "report <commit-id>/<tx> <k>", k the
//                                     whole commits' count it then reads from the store itself (at least as new), "torn" if not whole
var command = args[0];
var config = args[1].StartsWith('{')
    ? DatabaseConfig.Parse(args[1]) with { CacheBytes = 1 << 20 }
    : new DatabaseConfig { Store = StoreConfig.File(args[1]), CacheBytes = 1 << 20 };
using var conn = await Database.ConnectAsync(config);
switch (command)
{
    case "write":
        await Write(conn, long.Parse(args[2]), int.Parse(args[3]));
        break;
    case "hold":
        conn.Transact("[]");
        Console.WriteLine("writing");
        await Task.Delay(Timeout.Infinite);
        break;
    case "read":
        return Read(conn, int.Parse(args[2]));
    case "try-write":
        try
        {
            conn.Transact(Tx(999_999));
            Console.WriteLine("ok");
        }
        catch (HikeException e)
        {
            Console.WriteLine($"error {e.Code}");
        }
        break;
    case "write-n":
        for (long i = long.Parse(args[2]), end = i + long.Parse(args[3]); i < end; i++)
        {
            await conn.TransactAsync(Tx(i));
            Console.WriteLine($"ack {i}");
        }
        break;
    case "listen":
        return await Listen(conn, args[2], args[3], args[4]);
    case "search":
        var hits = conn.Db.Search(args[2], args[3], 100);
        foreach (var hit in hits) Console.WriteLine($"hit {hit.Value}");
        Console.WriteLine($"hits {hits.Count}");
        break;
    case "gc":
        Console.WriteLine("collecting");
        var started = System.Diagnostics.Stopwatch.StartNew();
        await conn.GcStorageAsync(new DateTime(long.Parse(args[2]), DateTimeKind.Utc));
        Console.WriteLine($"collected {started.ElapsedMilliseconds}");
        break;
}
return 0;

static string Tx(long i) => $"[{{:n {i}}} {{:n {-i}}}]";

static async Task Write(Connection conn, long from, int submitters)
{
    // A writer killed before this one may still hold the store's writer lease until it expires.
    var patience = System.Diagnostics.Stopwatch.StartNew();
    while (true)
    {
        try
        {
            await conn.TransactAsync("[]");
            break;
        }
        catch (HikeException e) when (e.Code == ErrorCodes.DbWriterLocked && patience.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }
    }
    long next = from - 1;
    var output = new object();
    await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
    {
        while (true)
        {
            long i = Interlocked.Increment(ref next);
            await conn.TransactAsync(Tx(i));
            lock (output)
            {
                Console.WriteLine($"ack {i}");
                Console.Out.Flush();
            }
        }
    })));
}

static int Read(Connection conn, int count)
{
    for (int s = 0; s < count; s++)
    {
        var values = ((IEnumerable)Datalog.Q("[:find [?n ...] :where [_ :n ?n]]", conn.Db)!).Cast<long>().ToHashSet();
        foreach (var n in values)
        {
            if (!values.Contains(-n))
            {
                Console.WriteLine($"torn {n}");
                return 1;
            }
        }
        Console.WriteLine($"seen {values.Count / 2}");
        // Spread over at least 600 ms, so the writer commits meanwhile however loaded the machine is.
        Thread.Sleep(2);
    }
    return 0;
}

static async Task<int> Listen(Connection conn, string url, string token, string store)
{
    using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    using var stream = await http.GetStreamAsync($"{url.TrimEnd('/')}/listen?store={Uri.EscapeDataString(store)}&token={Uri.EscapeDataString(token)}");
    using var reader = new StreamReader(stream);
    Console.WriteLine("listening");
    string name = "", id = "";
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
        else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
        else if (line.Length == 0 && name == "report")
        {
            // The store itself holds the commit by now: read it there, and check it is whole.
            var values = ((IEnumerable)Datalog.Q("[:find [?n ...] :where [_ :n ?n]]", conn.Db)!).Cast<long>().ToHashSet();
            if (values.Any(n => !values.Contains(-n)))
            {
                Console.WriteLine("torn");
                return 1;
            }
            Console.WriteLine($"report {id} {values.Count / 2}");
            name = "";
        }
        else if (line.Length == 0) name = "";
    }
    return 0;
}
