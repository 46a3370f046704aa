using Hike.Api;
using Hike.Db;
using Hike.Edn;

namespace Hike.Bench;

/// <summary>The shared workload files, read once, and the databases built from them.</summary>
internal sealed class Workload
{
    private readonly string _dir;
    private readonly bool _keepHistory;
    private EdnMap? _people;
    private EdnMap? _graphs;
    private EdnMap? _queries;
    private Database? _empty;
    private Database? _peopleDb;
    private readonly Dictionary<string, Database> _graphDbs = [];

    public Workload(string dir, bool keepHistory)
    {
        _dir = dir;
        _keepHistory = keepHistory;
    }

    public static Keyword K(string name) => Keyword.Intern(name);

    public EdnVector People => (EdnVector)(_people ??= Load("people-20k.edn"))[K("people")]!;

    /// <summary>
    /// The empty database with the benchmark schema transacted. The workload is schemaless apart from
    /// three attributes (as DataScript's bench), so the database reads its schema on write (<c>:read</c>).
    /// </summary>
    public Database Empty => _empty ??= Database.Empty(new DatabaseConfig
    {
        KeepHistory = _keepHistory,
        SchemaFlexibility = SchemaFlexibility.Read,
    }).DbWith(SchemaTx((EdnMap)(_graphs ??= Load("graphs.edn"))[K("schema")]!));

    /// <summary>The rules of the rule benchmarks (<c>:rules</c> of queries.edn).</summary>
    public object? Rules => (_queries ??= Load("queries.edn"))[K("rules")];

    /// <summary>The definition of benchmark <paramref name="name"/> in queries.edn.</summary>
    public EdnMap Benchmark(string name) =>
        ((EdnVector)(_queries ??= Load("queries.edn"))[K("benchmarks")]!).Cast<EdnMap>().FirstOrDefault(b => (string?)b[K("name")] == name)
        ?? throw new ArgumentException($"queries.edn has no benchmark {name}");

    public Database PeopleDb => _peopleDb ??= Empty.DbWith(People);

    public Database Graph(string name)
    {
        if (_graphDbs.TryGetValue(name, out var db)) return db;
        var graphs = (EdnMap)(_graphs ??= Load("graphs.edn"))[K("graphs")]!;
        return _graphDbs[name] = Empty.DbWith(graphs[K(name)]);
    }

    /// <summary>DataScript's schema map as Datahike schema entities.</summary>
    private static EdnVector SchemaTx(EdnMap schema)
    {
        var entities = new List<object?>();
        foreach (var (attr, props) in schema.Entries)
        {
            var entries = new List<KeyValuePair<object?, object?>> { new(K("db/ident"), attr) };
            foreach (var p in ((EdnMap)props!).Entries) entries.Add(p);
            entities.Add(EdnMap.Create(entries));
        }
        return EdnVector.From(entities);
    }

    private EdnMap Load(string file) => (EdnMap)EdnReader.Read(File.ReadAllText(Path.Combine(_dir, file)))!;
}
