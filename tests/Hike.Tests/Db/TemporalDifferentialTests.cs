using Hike.Api;
using Hike.Db;
using Hike.Edn;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Db;

/// <summary>
/// Random transaction histories (card-one replacements, card-many toggles, re-assertions, retractions,
/// a fact added and retracted in one transaction, retractEntity), then every as-of, since and history
/// view at every transaction — by transaction id and by the transaction's exact <c>:db/txInstant</c> —
/// against a naive model that replays the transactions' datoms: as of T is what replaying the
/// transactions up to T leaves; since T is the current datoms of transactions after T (Datahike's
/// since-pred, the complement of as-of); history is every event. Each view is read in full through
/// EAVT and AEVT, through AVET for the indexed attribute, and through a query. The seed is printed
/// and taken from <c>HIKE_TEST_SEED</c>.
/// </summary>
public sealed class TemporalDifferentialTests(ITestOutputHelper output)
{
    private const string Schema = """
        [{:db/ident :a :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :b :db/valueType :db.type/long :db/cardinality :db.cardinality/many}
         {:db/ident :s :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/index true}
         {:db/ident :r :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}]
        """;

    private static readonly Keyword A = Keyword.Intern("a");
    private static readonly Keyword B = Keyword.Intern("b");
    private static readonly Keyword S = Keyword.Intern("s");
    private static readonly Keyword R = Keyword.Intern("r");
    private static readonly Keyword TxInstant = Keyword.Intern("db/txInstant");
    private static readonly Keyword Add = Keyword.Intern("db/add");
    private static readonly Keyword Retract = Keyword.Intern("db/retract");
    private static readonly Keyword RetractEntity = Keyword.Intern("db/retractEntity");

    /// <summary>A datom as compared: its attribute's name and its value's EDN text make it plainly ordered and equal.</summary>
    private readonly record struct Fact(long E, string A, string V, long Tx, bool Added)
    {
        public static Fact Of(Datom d) => new(d.E, d.A.FullName, EdnPrinter.Print(d.V), d.Tx, d.Added);

        public override string ToString() => $"[{E} :{A} {V} {Tx} {Added}]";
    }

    [Fact]
    public async Task Every_as_of_since_and_history_view_at_every_transaction_matches_a_replay_of_the_transactions()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        for (int round = 0; round < 2; round++)
        {
            var config = new DatabaseConfig { KeepHistory = true, InitialTx = EdnReader.Read(Schema) };
            using var conn = await Database.CreateAndConnectAsync(TestBackend.Place(config));
            // Whatever the new database holds (the schema's transaction) is where the replay starts.
            var events = conn.Db.History().Datoms(IndexType.Eavt).OrderBy(d => d.Tx).Select(Fact.Of).ToList();
            var instants = new SortedDictionary<long, DateTime>();
            foreach (var d in conn.Db.Datoms(IndexType.Aevt, TxInstant)) instants[d.E] = (DateTime)d.V;
            int transactions = random.Next(15, 25);
            for (int t = 0; t < transactions; t++)
            {
                var report = conn.Transact(RandomTx(random, Replay(events, long.MaxValue)));
                events.AddRange(report.TxData.Select(Fact.Of));
                instants[report.Tx] = (DateTime)report.TxData.Single(d => d.A == TxInstant).V;
            }
            var db = conn.Db;
            string where = $"seed {seed}, round {round}";
            Same($"{where}: current", Replay(events, long.MaxValue), db);
            foreach (var (tx, instant) in instants)
            {
                var asOf = Replay(events, tx);
                var since = Replay(events, long.MaxValue).Where(f => f.Tx > tx).ToList();
                var historyTo = events.Where(f => f.Tx <= tx).ToList();
                var historyAfter = events.Where(f => f.Tx > tx).ToList();
                Same($"{where}: as of tx {tx}", asOf, db.AsOf(tx));
                Same($"{where}: as of {instant:O} (tx {tx})", asOf, db.AsOf(instant));
                Same($"{where}: since tx {tx}", since, db.Since(tx));
                Same($"{where}: since {instant:O} (tx {tx})", since, db.Since(instant));
                Same($"{where}: history as of tx {tx}", historyTo, db.History().AsOf(tx));
                Same($"{where}: as of {instant:O} (tx {tx}), history", historyTo, db.AsOf(instant).History());
                Same($"{where}: history since tx {tx}", historyAfter, db.History().Since(tx));
                Same($"{where}: since {instant:O} (tx {tx}), history", historyAfter, db.Since(instant).History());
                // Just before the instant is as of (and since) the transaction before: instants strictly increase.
                var before = instant.AddMilliseconds(-1);
                Same($"{where}: as of {before:O}", Replay(events, tx - 1), db.AsOf(before));
                Same($"{where}: since {before:O}", Replay(events, long.MaxValue).Where(f => f.Tx > tx - 1).ToList(), db.Since(before));
                long from = instants.Keys.ElementAt(random.Next(instants.Count));
                Same($"{where}: as of tx {tx} since tx {from}", asOf.Where(f => f.Tx > from).ToList(), db.AsOf(tx).Since(from));
            }
            Same($"{where}: history", events, db.History());
        }
    }

    [Fact]
    public async Task The_tx_data_read_off_two_states_indices_is_the_reports_of_the_transactions_between_them()
    {
        int seed = TestSeed.Next(output.WriteLine);
        var random = new Random(seed);
        foreach (bool history in new[] { true, false })
        {
            var config = new DatabaseConfig { KeepHistory = history, InitialTx = EdnReader.Read(Schema) };
            using var conn = await Database.CreateAndConnectAsync(TestBackend.Place(config));
            var events = conn.Db.Datoms(IndexType.Eavt).OrderBy(d => d.Tx).Select(Fact.Of).ToList();
            var states = new List<Database> { conn.Db };
            var reports = new List<TxReport>();
            for (int t = 0; t < 20; t++)
            {
                var report = conn.Transact(RandomTx(random, Replay(events, long.MaxValue)));
                events.AddRange(report.TxData.Select(Fact.Of));
                reports.Add(report);
                states.Add(report.DbAfter);
            }
            for (int pair = 0; pair < 40; pair++)
            {
                int i = random.Next(states.Count - 1);
                // Without history a retraction leaves no trace of its transaction: only states one transaction apart tell it.
                int j = history ? random.Next(i + 1, states.Count) : i + 1;
                var facts = reports.Skip(i).Take(j - i).SelectMany(r => r.TxData).Select(Fact.Of).ToList();
                // Nor does a fact a transaction added and retracted at once (one it retracted and added again is there anew).
                var held = states[i].Datoms(IndexType.Eavt).Select(d => (d.E, d.A.FullName, EdnPrinter.Print(d.V))).ToHashSet();
                var want = facts.Where(f => history || held.Contains((f.E, f.A, f.V)) || !facts.Contains(f with { Added = !f.Added })).OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
                var schema = states[j].State.Schema;
                var got = Hike.Versioning.DbDiff.TxData(states[i].State, states[j].State).Select(d => Fact.Of(Database.ToDatom(schema, d))).ToList();
                Assert.Equal(got.Select(f => f.Tx).Order(), got.Select(f => f.Tx));
                var sorted = got.OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
                if (!sorted.SequenceEqual(want)) throw Differ($"seed {seed}, history {history}: tx-data from state {i} to {j}", want, sorted);
            }
        }
    }

    /// <summary>The current datoms after replaying the events of transactions up to <paramref name="tx"/>, in order.</summary>
    private static List<Fact> Replay(List<Fact> events, long tx)
    {
        var current = new Dictionary<(long, string, string), long>();
        foreach (var f in events)
        {
            if (f.Tx > tx) continue;
            if (f.Added) current[(f.E, f.A, f.V)] = f.Tx;
            else current.Remove((f.E, f.A, f.V));
        }
        return current.Select(kv => new Fact(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value, true)).ToList();
    }

    /// <summary>The view holds exactly <paramref name="expected"/>, through EAVT and AEVT, AVET of <c>:s</c> and a query of <c>:b</c>.</summary>
    private static void Same(string what, List<Fact> expected, Database view)
    {
        var want = expected.Distinct().OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
        foreach (var index in new[] { IndexType.Eavt, IndexType.Aevt })
        {
            var got = view.Datoms(index).Select(Fact.Of).OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
            if (!got.SequenceEqual(want)) throw Differ($"{what}, {index}", want, got);
        }
        var avet = view.Datoms(IndexType.Avet, S).Select(Fact.Of).OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
        var wantS = want.Where(f => f.A == "s").ToList();
        if (!avet.SequenceEqual(wantS)) throw Differ($"{what}, AVET of :s", wantS, avet);
        // The card-many attribute, where toggles and same-transaction churn are, through a query.
        var rows = (EdnSet)Datalog.Q("[:find ?e ?v ?tx ?added :where [?e :b ?v ?tx ?added]]", view)!;
        var queried = rows.Cast<EdnVector>().Select(r => new Fact((long)r[0]!, "b", EdnPrinter.Print(r[1]), (long)r[2]!, (bool)r[3]!))
            .OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
        var wantB = want.Where(f => f.A == "b").ToList();
        if (!queried.SequenceEqual(wantB)) throw Differ($"{what}, query of :b", wantB, queried);
    }

    private static Xunit.Sdk.XunitException Differ(string what, List<Fact> expected, List<Fact> actual) =>
        new($"{what}\nmissing {string.Join(' ', expected.Except(actual))}\nextra   {string.Join(' ', actual.Except(expected))}");

    /// <summary>
    /// One to four operations on entities 100–105, each on its own entity and attribute (so their
    /// order in the transaction does not matter), chosen against the current datoms.
    /// </summary>
    private static List<object?> RandomTx(Random random, List<Fact> current)
    {
        var ops = new List<object?>();
        var used = new HashSet<long>();
        int n = random.Next(1, 5);
        for (int i = 0; i < n; i++)
        {
            long e = 100 + random.Next(6);
            if (!used.Add(e)) continue;
            long v = random.Next(4);
            var held = current.Where(f => f.E == e).ToList();
            switch (random.Next(9))
            {
                case 0:
                    // Card one: replaces the value, or re-asserts it (no datom).
                    ops.Add(EdnVector.Create(Add, e, A, v));
                    break;
                case 1:
                    // Card many: toggles the value.
                    bool has = held.Exists(f => f.A == "b" && f.V == EdnPrinter.Print(v));
                    ops.Add(EdnVector.Create(has ? Retract : Add, e, B, v));
                    break;
                case 2:
                    ops.Add(EdnVector.Create(Add, e, S, "s" + v));
                    break;
                case 3:
                    ops.Add(EdnVector.Create(Add, e, R, 100 + random.Next(6)));
                    break;
                case 4:
                    // A value that may or may not be there: retracting one that is not is a no-op.
                    ops.Add(EdnVector.Create(Retract, e, A, v));
                    break;
                case 5:
                    ops.Add(EdnVector.Create(Retract, e, B));
                    break;
                case 6:
                    // Added and retracted in one transaction: only history shows it.
                    ops.Add(EdnVector.Create(Add, e, B, 10 + v));
                    ops.Add(EdnVector.Create(Retract, e, B, 10 + v));
                    break;
                case 7:
                    // Retracted and asserted again in one transaction: present, with this transaction's id.
                    if (held.FirstOrDefault(f => f.A == "b") is { A: not null } b)
                    {
                        long value = long.Parse(b.V, System.Globalization.CultureInfo.InvariantCulture);
                        ops.Add(EdnVector.Create(Retract, e, B, value));
                        ops.Add(EdnVector.Create(Add, e, B, value));
                    }
                    break;
                default:
                    // Refs to the entity from others go too, so no other operation of this transaction may touch it.
                    if (ops.Count == 0 && used.Count == 1)
                    {
                        ops.Add(EdnVector.Create(RetractEntity, e));
                        return ops;
                    }
                    break;
            }
        }
        // Possibly empty: then a transaction of only its instant.
        return ops;
    }
}
