using System.Diagnostics;
using System.Globalization;
using Hike.Api;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Fuzz;

/// <summary>
/// Random and mutated EDN text, queries, pull patterns and transactions against a small database:
/// each must succeed or fail with a <see cref="HikeException"/>, within two seconds. Runs for
/// <c>HIKE_FUZZ_SECONDS</c> seconds (default 10); replay a run with its <c>HIKE_TEST_SEED</c>.
/// </summary>
public sealed class InputFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeconds = 10;
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(2);

    [Fact]
    public void Random_and_mutated_inputs_succeed_or_fail_with_a_HikeException_within_two_seconds()
    {
        // Inputs are fuzzed, not stores: the file-store copy of the suite need not run it again.
        if (TestBackend.IsDurable) return;
        int seed = TestSeed.Next(output.WriteLine);
        var budget = TimeSpan.FromSeconds(Budget());
        var random = new Random(seed);
        var inputs = new FuzzInputs(random);
        var db = Database.Empty(new DatabaseConfig { Store = StoreConfig.Memory(Guid.NewGuid().ToString()), Functions = FuzzInputs.Functions() })
            .DbWith(EdnReader.Read(FuzzInputs.Schema))
            .DbWith(EdnReader.Read(FuzzInputs.Data));
        var counts = new Dictionary<string, (int Ran, int Failed)>();
        var codes = new Dictionary<string, int>();
        using var watchdog = new Watchdog();
        // Warm-up: the first query, pull and transaction compile much of the engine, which must not count against the limit.
        Check(watchdog, "warm-up", "corpus", () => Datalog.Q("[:find (pull ?e [*]) :where [?e :name]]", db), TimeSpan.FromMinutes(1));
        Check(watchdog, "warm-up", "corpus", () => db.With("[{:name \"w\" :friend [{:name \"v\"}]}]"), TimeSpan.FromMinutes(1));
        var clock = Stopwatch.StartNew();
        for (int n = 0; clock.Elapsed < budget; n++)
        {
            var (kind, shown, run) = Next(random.Next(4), inputs, db);
            var code = Check(watchdog, $"{kind} #{n}", shown, run, PerInput);
            var (ran, failures) = counts.GetValueOrDefault(kind);
            counts[kind] = (ran + 1, failures + (code is null ? 0 : 1));
            if (code is not null) codes[$"{kind} {code}"] = codes.GetValueOrDefault($"{kind} {code}") + 1;
        }
        int total = counts.Values.Sum(c => c.Ran);
        output.WriteLine($"{total} inputs in {clock.Elapsed.TotalSeconds:0.0} s: " +
            string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value.Ran} ({c.Value.Failed} refused)")));
        output.WriteLine("refused with: " + string.Join(", ", codes.OrderByDescending(c => c.Value).Select(c => $"{c.Key} {c.Value}")));
        Assert.All(counts.Keys, kind => Assert.True(counts[kind].Ran > 0));
        Assert.Equal(4, counts.Count);
    }

    private static int Budget() =>
        int.TryParse(Environment.GetEnvironmentVariable("HIKE_FUZZ_SECONDS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int seconds) && seconds > 0
            ? seconds
            : DefaultSeconds;

    /// <summary>The next input: its kind, how to show it in a failure, and the work it takes.</summary>
    private static (string Kind, string Shown, Action Run) Next(int kind, FuzzInputs inputs, Database db)
    {
        switch (kind)
        {
            case 0:
            {
                string text = inputs.Edn();
                return ("edn", text, () =>
                {
                    foreach (var form in EdnReader.ReadAll(text))
                    {
                        // What was read prints, shows in a message, hashes and equals itself.
                        var again = EdnReader.Read(EdnPrinter.Print(form));
                        if (!ValueEquality.Instance.Equals(form, again) && !ContainsNaN(form)) throw new InvalidOperationException($"{Errors.Show(form)} does not read back as itself");
                        _ = Errors.Show(form);
                        _ = ValueEquality.Instance.GetHashCode(form);
                    }
                });
            }
            case 1:
            {
                var query = inputs.Query();
                object?[] args = [db, .. inputs.QueryInputs(query)];
                return ("query", Show(query) + " inputs " + Show(args[1..]), () => Datalog.Q(query, args));
            }
            case 2:
            {
                var pattern = inputs.Pattern();
                var eid = inputs.EntityId();
                return ("pull", Show(pattern) + " of " + Show(eid), () => db.Pull(pattern, eid));
            }
            default:
            {
                var tx = inputs.Transaction();
                return ("transaction", Show(tx), () =>
                {
                    var report = db.With(tx);
                    Datalog.Q("[:find (pull ?e [*]) :where [?e _]]", report.DbAfter);
                });
            }
        }
    }

    /// <summary>Runs one input under the watchdog; fails the test unless it succeeds or throws a HikeException in time. Returns the exception's code (null: success).</summary>
    private string? Check(Watchdog watchdog, string label, string shown, Action run, TimeSpan limit)
    {
        var error = watchdog.Run(run, limit, out bool finished);
        if (!finished) Assert.Fail($"{label} took over {limit.TotalSeconds} s: {shown}");
        if (error is not null and not HikeException)
        {
            output.WriteLine($"{label}: {shown}");
            Assert.Fail($"{label} threw {error.GetType().Name} instead of a HikeException: {shown}\n{error}");
        }
        return (error as HikeException)?.Code;
    }

    /// <summary>An input as text for a failure message: in full unless huge (the seed and case number replay it).</summary>
    private static string Show(object? value)
    {
        string text = value is string s ? s : EdnPrinter.PrintPrefix(value, 4000, out _);
        return text.Length <= 2000 ? text : text[..2000] + $"… ({text.Length - 2000}+ more characters)";
    }

    private static bool ContainsNaN(object? form) => EdnPrinter.Print(form).Contains("##NaN", StringComparison.Ordinal);
}
