using System.Globalization;

namespace Hike.Bench;

/// <summary>Command-line options, named as in the DataScript harness (<c>../shared/bench/datascript/bench.mjs</c>).</summary>
internal sealed class BenchOptions
{
    public int WarmupMs { get; private set; } = 2000;

    public int BenchMs { get; private set; } = 1000;

    public int Samples { get; private set; } = 5;

    public int Batch { get; private set; } = 10;

    public string? DataDir { get; private set; }

    public bool Isolate { get; private set; } = true;

    public bool Child { get; private set; }

    public bool KeepHistory { get; private set; }

    public List<string> Only { get; } = [];

    /// <summary>Run the durable-write benchmark (<see cref="DurableBench"/>) instead of the DataScript workload.</summary>
    public bool Durable { get; private set; }

    /// <summary>Run the branch-creation benchmark (<see cref="BranchBench"/>).</summary>
    public bool Branch { get; private set; }

    /// <summary>Run the HTTP server's benchmark (<see cref="ServerBench"/>).</summary>
    public bool Server { get; private set; }

    /// <summary>Run the networked-store benchmark (<see cref="StoresBench"/>).</summary>
    public bool Stores { get; private set; }

    /// <summary>Run the full-text benchmark on the WordNet glosses (<see cref="FullTextBench"/>).</summary>
    public bool FullText { get; private set; }

    /// <summary>Run the large-value benchmark (<see cref="LargeValueBench"/>).</summary>
    public bool LargeValues { get; private set; }

    /// <summary>The durable benchmark without history (Hike's default, and Datahike's, keeps it).</summary>
    public bool NoHistory { get; private set; }

    /// <summary>Smaller durable runs, for a smoke test.</summary>
    public bool Quick { get; private set; }

    /// <summary>Hike's store in the durable benchmark: <c>file</c> (default) or <c>mem</c>.</summary>
    public string Store { get; private set; } = "file";

    /// <summary>The durable benchmark's sides: <c>hike</c>, <c>sqlite</c> or both (null).</summary>
    public string? Side { get; private set; }

    /// <summary>Entity datoms in the durable benchmark's large database (tx datoms not counted).</summary>
    public int? DurableDatoms { get; private set; }

    /// <summary>SQLite's concurrent writers wait in SQLite's busy handler instead of on one lock in the harness.</summary>
    public bool SqliteBusy { get; private set; }

    /// <summary>SQLite's datoms table: <c>rowid</c> with three covering indexes, or <c>norowid</c> (WITHOUT ROWID, EAVT as the key).</summary>
    public string SqliteLayout { get; private set; } = "norowid";

    /// <summary>SQLite's AVET index: <c>indexed</c> (only indexed attributes, as Hike's AVET) or <c>all</c>.</summary>
    public string SqliteAvet { get; private set; } = "indexed";

    /// <summary>Child process of the durable benchmark: the side and database directory to open and scan.</summary>
    public (string Side, string Dir)? ScanMemory { get; private set; }

    /// <summary>With <see cref="ScanMemory"/>: the <c>:name</c> of the point query.</summary>
    public string? PointName { get; private set; }

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            switch (a)
            {
                case "--warmup-ms": o.WarmupMs = Int(args, ++i); break;
                case "--bench-ms": o.BenchMs = Int(args, ++i); break;
                case "--samples": o.Samples = Int(args, ++i); break;
                case "--batch": o.Batch = Int(args, ++i); break;
                case "--data": o.DataDir = args[++i]; break;
                case "--no-isolate": o.Isolate = false; break;
                case "--child": o.Child = true; o.Isolate = false; break;
                case "--history": o.KeepHistory = true; break;
                case "--durable": o.Durable = true; break;
                case "--branch": o.Branch = true; break;
                case "--large-values": o.LargeValues = true; break;
                case "--stores": o.Stores = true; break;
                case "--fulltext": o.FullText = true; break;
                case "--server": o.Server = true; break;
                case "--quick": o.Quick = true; break;
                case "--no-history": o.NoHistory = true; break;
                case "--store": o.Store = OneOf(args, ++i, "file", "mem"); break;
                case "--side": o.Side = OneOf(args, ++i, "hike", "sqlite"); break;
                case "--durable-datoms": o.DurableDatoms = Int(args, ++i); break;
                case "--sqlite-busy": o.SqliteBusy = true; break;
                case "--sqlite-layout": o.SqliteLayout = OneOf(args, ++i, "rowid", "norowid"); break;
                case "--sqlite-avet": o.SqliteAvet = OneOf(args, ++i, "indexed", "all"); break;
                case "--scan-memory": o.ScanMemory = (OneOf(args, ++i, "hike", "sqlite"), args[++i]); break;
                case "--point-name": o.PointName = args[++i]; break;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unknown option {a}");
                    o.Only.AddRange(a.Split(',', StringSplitOptions.RemoveEmptyEntries));
                    break;
            }
        }
        return o;
    }

    /// <summary>The arguments that make a child process time one benchmark with these options.</summary>
    public List<string> ChildArgs(string name)
    {
        var list = new List<string> { name, "--child", "--warmup-ms", Str(WarmupMs), "--bench-ms", Str(BenchMs), "--samples", Str(Samples), "--batch", Str(Batch) };
        if (DataDir is not null) list.AddRange(["--data", DataDir]);
        if (KeepHistory) list.Add("--history");
        return list;
    }

    private static string OneOf(string[] args, int i, params string[] allowed) =>
        allowed.Contains(args[i]) ? args[i] : throw new ArgumentException($"{args[i - 1]} takes one of {string.Join(", ", allowed)}, got {args[i]}");

    private static int Int(string[] args, int i) => int.Parse(args[i], CultureInfo.InvariantCulture);

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);
}
