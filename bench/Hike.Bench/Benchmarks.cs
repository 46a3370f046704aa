using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>
/// The benchmarks of the shared workload (<c>../shared/bench/queries.edn</c>), each as a setup that
/// returns the operation to time. Names and operations match the DataScript harness.
/// </summary>
internal static class Benchmarks
{
    private static readonly Keyword DbAdd = Keyword.Intern("db/add");
    private static readonly Keyword RetractEntity = Keyword.Intern("db.fn/retractEntity");

    public static readonly string[] Names =
    [
        "add-1", "add-5", "add-all", "init", "retract-5", "find-datoms",
        "q1", "q2", "q2-switch", "q3", "q4", "q5-shortcircuit", "qpred1", "qpred2",
        "pull-one", "pull-one-entities", "pull-many", "pull-many-entities", "pull-wildcard",
        "rules-wide-3x3", "rules-wide-5x3", "rules-wide-7x3", "rules-wide-4x6", "rules-long-10x3", "rules-long-30x3", "rules-long-30x5",
    ];

    public static Func<object?> Setup(string name, Workload w) => name switch
    {
        "add-1" => Add1(w),
        "add-5" => Add5(w),
        "add-all" => AddAll(w),
        "init" => Init(w),
        "retract-5" => Retract5(w),
        "find-datoms" => FindDatoms(w),
        "pull-one" => Pull(w, "[:name {:follows ...}]"),
        "pull-many" => Pull(w, "[:db/id :last-name :alias :sex :age :salary {:follows ...}]"),
        "pull-wildcard" => Pull(w, "[* {:follows ...}]"),
        "pull-one-entities" => Entities(w, [":name"]),
        "pull-many-entities" => Entities(w, [":db/id", ":last-name", ":alias", ":sex", ":age", ":salary"]),
        _ when name.StartsWith('q') || name.StartsWith("rules-", StringComparison.Ordinal) => Query(w, name),
        _ => throw new ArgumentException($"unknown benchmark {name}"),
    };

    /// <summary>A one-line description of an operation's result, so a broken setup cannot pass silently.</summary>
    public static string Describe(object? result) => result switch
    {
        Database db => $"{db.Datoms(IndexType.Eavt).Count()} datoms",
        EdnMap m => $"{EdnPrinter.Print(m).Length} chars",
        EdnSet s => $"{s.Count} rows",
        _ => string.Empty,
    };

    private static Func<object?> Add1(Workload w)
    {
        var txs = new List<EdnVector>();
        string[] attrs = ["name", "last-name", "sex", "age", "salary"];
        foreach (var person in w.People)
        {
            var p = (EdnMap)person!;
            var id = p[Workload.K("db/id")];
            foreach (var a in attrs) txs.Add(EdnVector.Create(EdnVector.Create(DbAdd, id, Workload.K(a), p[Workload.K(a)])));
        }
        var empty = w.Empty;
        return () =>
        {
            var db = empty;
            foreach (var tx in txs) db = db.DbWith(tx);
            return db;
        };
    }

    private static Func<object?> Add5(Workload w)
    {
        var txs = w.People.Select(p => EdnVector.Create(p)).ToList();
        var empty = w.Empty;
        return () =>
        {
            var db = empty;
            foreach (var tx in txs) db = db.DbWith(tx);
            return db;
        };
    }

    private static Func<object?> AddAll(Workload w)
    {
        var people = w.People;
        var empty = w.Empty;
        return () => empty.DbWith(people);
    }

    private static Func<object?> Init(Workload w)
    {
        var datoms = new List<Datom>();
        foreach (var person in w.People)
        {
            var p = (EdnMap)person!;
            long e = long.Parse((string)p[Workload.K("db/id")]!, System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (key, value) in p.Entries)
            {
                var a = (Keyword)key!;
                if (a.FullName == "db/id") continue;
                if (value is EdnVector many)
                {
                    foreach (var x in many.Distinct(ValueEquality.Instance)) datoms.Add(new Datom(e, a, x!, 536870912, true));
                }
                else
                {
                    datoms.Add(new Datom(e, a, value!, 536870912, true));
                }
            }
        }
        Console.Error.WriteLine($"  init: {datoms.Count} datoms");
        var empty = w.Empty;
        return () => empty.WithDatoms(datoms);
    }

    private static Func<object?> Retract5(Workload w)
    {
        var db0 = w.PeopleDb;
        var eids = db0.Datoms(IndexType.Aevt, Workload.K("name")).Select(d => d.E).ToList();
        new Mulberry32(7).Shuffle(eids);
        var txs = eids.Select(e => EdnVector.Create(EdnVector.Create(RetractEntity, e))).ToList();
        return () =>
        {
            var db = db0;
            foreach (var tx in txs) db = db.DbWith(tx);
            return db;
        };
    }

    private static Func<object?> FindDatoms(Workload w)
    {
        var db = w.PeopleDb;
        var a = Workload.K("full-name");
        return () =>
        {
            object? v = null;
            for (long id = 9000; id < 11000; id++) v = db.Datoms(IndexType.Eavt, id, a).First().V;
            return v;
        };
    }

    /// <summary>A query benchmark exactly as <c>queries.edn</c> states it: query, inputs (<c>%</c> = its rules) and data set.</summary>
    private static Func<object?> Query(Workload w, string name)
    {
        var spec = w.Benchmark(name);
        var query = spec[Workload.K("query")]!;
        var inputs = new List<object?>();
        var db = (Keyword)spec[Workload.K("db")]! == Workload.K("people") ? w.PeopleDb : w.Graph(((Keyword)spec[Workload.K("db")]!).Name);
        inputs.Add(db);
        foreach (var input in (EdnVector)spec[Workload.K("inputs")]!)
        {
            inputs.Add(input is Symbol { Name: "%" } ? w.Rules : input);
        }
        var args = inputs.ToArray();
        long expected = (long)spec[Workload.K("expect-rows")]!;
        long rows = ((EdnSet)Datalog.Q(query, args)!).Count;
        if (rows != expected) throw new InvalidOperationException($"{name}: {rows} rows, DataScript gives {expected}");
        return () => Datalog.Q(query, args);
    }

    private static Func<object?> Pull(Workload w, string pattern)
    {
        var db = w.Graph("wide-4x5");
        var parsed = EdnReader.Read(pattern);
        long eid = db.Entid(EdnVector.Create(Workload.K("id"), 1L)) ?? throw new InvalidOperationException("no [:id 1]");
        return () => db.Pull(parsed!, eid);
    }

    private static Func<object?> Entities(Workload w, string[] keys)
    {
        var db = w.Graph("wide-4x5");
        var ks = keys.Select(k => Keyword.Intern(k)).ToArray();
        var follows = Workload.K("follows");
        var root = EdnVector.Create(Workload.K("id"), 1L);
        // (assoc (select-keys e keys) :follows (mapv f (:follows e))): a persistent map and vector per entity.
        EdnMap Walk(Entity e)
        {
            var entries = new List<KeyValuePair<object?, object?>>(ks.Length + 1);
            foreach (var k in ks)
            {
                var v = e[k];
                if (v is not null) entries.Add(new(k, v));
            }
            object?[] children = [];
            if (e[follows] is EdnSet xs)
            {
                children = new object?[xs.Count];
                int i = 0;
                foreach (var x in xs.Items) children[i++] = Walk((Entity)x!);
            }
            entries.Add(new(follows, EdnVector.Create(children)));
            return EdnMap.Create(entries);
        }
        return () => Walk(db.Entity(root)!);
    }
}
