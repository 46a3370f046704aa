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

    private static int Int(string[] args, int i) => int.Parse(args[i], CultureInfo.InvariantCulture);

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);
}
