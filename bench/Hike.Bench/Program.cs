using System.Diagnostics;
using System.Globalization;
using Hike.Bench;

// Times Hike on the shared DataScript workload. stdout: one "name median_ms" line per benchmark, as
// ../shared/bench/datascript/bench.mjs prints them; everything else goes to stderr.
if (args.Contains("--list"))
{
    foreach (var name in args.Contains("--durable") ? DurableBench.Names : Benchmarks.Names) Console.WriteLine(name);
    return;
}
var o = BenchOptions.Parse(args);
if (o.Branch)
{
    await BranchBench.RunAsync(o);
    return;
}
if (o.Server)
{
    await ServerBench.RunAsync(o, o.DataDir ?? FindDataDir());
    return;
}
if (o.Stores)
{
    await StoresBench.RunAsync(o, o.DataDir ?? FindDataDir());
    return;
}
if (o.FullText)
{
    await FullTextBench.RunAsync(o, o.DataDir ?? FindDataDir());
    return;
}
if (o.LargeValues)
{
    await LargeValueBench.RunAsync(o);
    return;
}
if (o.Durable || o.ScanMemory is not null)
{
    await DurableBench.RunAsync(o, o.DataDir ?? FindDataDir());
    return;
}
if (o.Only.Count > 0 && o.Only.All(RecursiveRuleBench.Names.Contains))
{
    RecursiveRuleBench.Run(o);
    return;
}
var selected = o.Only.Count == 0 ? Benchmarks.Names.ToList() : o.Only;
foreach (var n in selected)
{
    if (!Benchmarks.Names.Contains(n)) throw new ArgumentException($"unknown benchmark {n}; known: {string.Join(' ', Benchmarks.Names)}");
}
string dataDir = o.DataDir ?? FindDataDir();

if (o.Isolate && selected.Count > 1)
{
    Console.Error.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cpus, warmup {o.WarmupMs} ms, {o.Samples} samples x >= {o.BenchMs} ms, batch {o.Batch}, history {(o.KeepHistory ? "on" : "off")}, one process per benchmark");
    foreach (var name in selected)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") psi.ArgumentList.Add(typeof(Benchmarks).Assembly.Location);
        foreach (var a in o.ChildArgs(name)) psi.ArgumentList.Add(a);
        if (o.DataDir is null) psi.ArgumentList.Add("--data");
        if (o.DataDir is null) psi.ArgumentList.Add(dataDir);
        using var child = Process.Start(psi)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"benchmark {name} failed (exit {child.ExitCode})");
        Console.Out.Write(output);
        Console.Out.Flush();
    }
    return;
}

var workload = new Workload(dataDir, o.KeepHistory);
foreach (var name in selected)
{
    var op = Benchmarks.Setup(name, workload);
    var r0 = op();
    var pauseBefore = GC.GetTotalPauseDuration();
    long allocatedBefore = GC.GetTotalAllocatedBytes();
    var clock = Stopwatch.StartNew();
    var r = BenchTimer.Run(op, o);
    double elapsed = clock.Elapsed.TotalMilliseconds;
    Console.Error.WriteLine($"  {name}: GC pauses {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F0} ms of {elapsed:F0} ms, {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1e6:F0} MB allocated, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
    Console.Error.WriteLine($"  {name}: {Benchmarks.Describe(r0)}; samples {string.Join(' ', r.SamplesMs.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))} (batch {r.Batch})");
    Console.WriteLine($"{name} {Format(r.MedianMs)}");
}

static string Format(double m) => m >= 1 ? m.ToString("F1", CultureInfo.InvariantCulture) : m >= 0.01 ? m.ToString("F3", CultureInfo.InvariantCulture) : m.ToString("F7", CultureInfo.InvariantCulture);

static string FindDataDir()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var candidate = Path.Combine(dir.FullName, "..", "shared", "bench");
        if (File.Exists(Path.Combine(dir.FullName, "Hike.slnx")) && File.Exists(Path.Combine(candidate, "people-20k.edn"))) return Path.GetFullPath(candidate);
    }
    throw new DirectoryNotFoundException("../shared/bench not found next to the repository; pass --data DIR");
}
