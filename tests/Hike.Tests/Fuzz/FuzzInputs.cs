using Hike.Api;
using Hike.Edn;
using Hike.Tests.Edn;

namespace Hike.Tests.Fuzz;

/// <summary>
/// Inputs for the fuzz test over a small database of people: valid queries, pull patterns and
/// transactions (the corpus), the same mutated as text, and random ones built as values from the
/// schema's attributes and random EDN values. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class FuzzInputs(Random random)
{
    public const string Schema = """
        [{:db/ident :name :db/valueType :db.type/string :db/unique :db.unique/identity :db/cardinality :db.cardinality/one}
         {:db/ident :age :db/valueType :db.type/long :db/cardinality :db.cardinality/one :db/index true}
         {:db/ident :email :db/valueType :db.type/string :db/unique :db.unique/value :db/cardinality :db.cardinality/one}
         {:db/ident :friend :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :parent :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}
         {:db/ident :child :db/valueType :db.type/ref :db/isComponent true :db/cardinality :db.cardinality/many}
         {:db/ident :tags :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
         {:db/ident :score :db/valueType :db.type/double :db/cardinality :db.cardinality/one}
         {:db/ident :born :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :id :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one}
         {:db/ident :pair :db/valueType :db.type/tuple :db/tupleTypes [:db.type/long :db.type/string] :db/cardinality :db.cardinality/one}
         {:db/ident :point :db/valueType :db.type/tuple :db/tupleType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :name+age :db/valueType :db.type/tuple :db/tupleAttrs [:name :age] :db/cardinality :db.cardinality/one}
         {:db/ident :code :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db.attr/preds [fuzz/parses?]}
         {:db/ident :data :db/valueType :db.type/tuple :db/tupleType :db.type/string :db/cardinality :db.cardinality/one}]
        """;

    /// <summary>The functions the schema and the transactions name: a predicate and a transaction function that throw on some input, as user code may.</summary>
    public static FunctionRegistry Functions() => new FunctionRegistry()
        .RegisterAttributePredicate(Symbol.Intern("fuzz/parses?"), v => int.Parse((string)v, System.Globalization.CultureInfo.InvariantCulture) >= 0)
        .RegisterTxFunction(Keyword.Intern("fuzz/inc"), (db, args) =>
            new List<object?> { new List<object?> { Keyword.Intern("db/add"), args[0], Keyword.Intern("age"), checked((long)args[1]! + 1) } });

    public const string Data = """
        [{:db/id 101 :name "p1" :age 20 :email "p1@x" :tags [:a :b] :score 1.5 :born #inst "2000-01-01" :friend [102 103]}
         {:db/id 102 :name "p2" :age 30 :tags [:b] :friend [101] :parent 101 :pair [1 "one"]}
         {:db/id 103 :name "p3" :age 40 :score 2.5 :parent 101 :point [1 2 3] :child [{:db/id 107 :name "c1"} {:db/id 108 :name "c2" :child [{:db/id 109 :name "c3"}]}]}
         {:db/id 104 :name "p4" :age 20 :id #uuid "f81d4fae-7dec-11d0-a765-00a0c91e6bf6" :friend [105]}
         {:db/id 105 :name "p5" :age 50 :friend [104 106] :born #inst "1990-06-01"}
         {:db/id 106 :name "p6" :tags [:c]}]
        """;

    public const string Rules = "[[(anc ?a ?d) [?a :child ?d]] [(anc ?a ?d) [?a :child ?x] (anc ?x ?d)] [(knows ?a ?b) [?a :friend ?b]] [(knows ?a ?b) [?b :friend ?a]]]";

    // Valid queries; none calls a function whose cost grows with its arguments (range, repeat),
    // which a mutation could make arbitrarily large.
    private static readonly string[] Queries =
    [
        "[:find ?e :where [?e :name]]",
        "[:find ?n ?a :where [?e :name ?n] [?e :age ?a]]",
        "[:find (count ?e) . :where [?e :age ?a] [(> ?a 25)]]",
        "[:find [?n ...] :where [?e :name ?n] (not [?e :friend _])]",
        "[:find ?n :where (or [?e :tags :a] [?e :tags :c]) [?e :name ?n]]",
        "[:find ?n :in $ ?min :where [?e :age ?a] [(>= ?a ?min)] [?e :name ?n]]",
        "[:find (pull ?e [:name {:friend [:name]}]) :where [?e :age 20]]",
        "[:find ?a ?n :in $ % :where (anc ?a ?d) [?d :name ?n]]",
        "[:find ?x ?y :in $ % :where (knows ?x ?y)]",
        "[:find (max ?a) (min ?a) (avg ?a) (sum ?a) (count-distinct ?a) :where [_ :age ?a]]",
        "[:find ?n ?s :where [?e :name ?n] [(get-else $ ?e :score 0.0) ?s]]",
        "[:find ?n :where [?e :name ?n] [(clojure.string/starts-with? ?n \"p\")]]",
        "[:find ?k :where [_ :tags ?k] [(keyword? ?k)]]",
        "[:find ?n :keys name :where [_ :name ?n]]",
        "[:find ?e . :where [?e :name \"p1\"]]",
        "[:find ?e ?v :where [?e :name+age ?v]]",
        "[:find (distinct ?a) :where [_ :age ?a]]",
        "[:find ?n :with ?e :where [?e :name ?n]]",
        "[:find ?n ?c :where [?e :name ?n] [(str ?n \"!\") ?s] [(count ?s) ?c] [(< ?c 5)]]",
        "[:find ?a ?b :where [?a :friend ?b] [?b :friend ?a]]",
        "[:find ?n :where [?e :name ?n] (not-join [?e] [?e :friend ?f] [?f :age 20])]",
        "[:find ?n :where (or-join [?e] [?e :age 20] (and [?e :tags :b] [?e :score ?s])) [?e :name ?n]]",
        "[:find ?e ?a :in $ [?n ...] :where [?e :name ?n] [?e :age ?a]]",
        "[:find ?x :in [[?x ?y]] :where [(< ?x ?y)]]",
        "[:find (pull ?e [*]) :where [?e :name \"p3\"]]",
        "[:find ?e :where [?e :born ?b] [(< ?b #inst \"1995-01-01\")]]",
        "[:find ?x ?y :where [(ground [1 2]) [?x ?y]]]",
        "[:find ?p ?n :where [?e :pair ?p] [(untuple ?p) [?x ?n]]]",
        "[:find ?e ?t :where [?e :name _ ?t] [(> ?t 0)]]",
        "[:find ?n :where [?e :name ?n] [(missing? $ ?e :age)]]",
        "{:find [?n ?a] :where [[?e :name ?n] [?e :age ?a]] :in [$]}",
        "[:find (pull ?e [:name {:child ...}]) . :where [?e :name \"p3\"]]",
        "[:find ?v :where [?e :point ?v] [(tuple 1 ?v) ?t]]",
        "[:find ?e :where [?e :age ?a] [(* ?a 2) ?b] [(+ ?b 1) ?c] [(> ?c 60)]]",
    ];

    private static readonly string[] Patterns =
    [
        "[:name]", "[*]", "[:name {:friend [:name :age]}]", "[:name {:friend ...}]", "[:name {:friend 2}]",
        "[:name {:child [:name {:child ...}]}]", "[:name :_friend]", "[:name {:_friend [:name]}]", "[:name {:_parent [:name]}]",
        "[[:name :as \"n\"] [:age :default 0]]", "[(limit :friend 1)]", "[(default :score 1.5)]", "[:db/id :name+age :pair :point]",
        "[{[:friend :limit 1] [:name]}]", "[* {:friend [:name]}]", "[[:tags :limit nil]]", "[:db/id [:_child :as :owner]]",
    ];

    private static readonly string[] Transactions =
    [
        "[{:name \"new\" :age 1}]",
        "[[:db/add -1 :name \"x\"] [:db/add -1 :friend [:name \"p1\"]]]",
        "[{:db/id \"t\" :name \"t1\"} {:name \"t2\" :friend \"t\"}]",
        "[[:db/retract [:name \"p1\"] :age 20]]",
        "[[:db/retractEntity [:name \"p2\"]]]",
        "[[:db.fn/retractAttribute [:name \"p3\"] :friend]]",
        "[[:db/cas [:name \"p1\"] :age 20 21]]",
        "[{:name \"p1\" :age 99}]",
        "[{:db/id [:name \"p4\"] :tags [:x :y]}]",
        "[{:name \"c\" :child [{:name \"c4\"} {:name \"c5\"}]}]",
        "[{:name \"q\" :pair [1 \"a\"] :point [4 5]}]",
        "[[:db/add -1 :name \"z\"] [:db/add -2 :parent -1] [:db/add -2 :name \"zz\"]]",
        "[{:db/ident :extra :db/valueType :db.type/string :db/cardinality :db.cardinality/one}]",
        "[[:db.purge/entity [:name \"p6\"]]]",
        "[[:db/purge [:name \"p5\"] :age 50]]",
        "[{:name \"b\" :born #inst \"2020-01-01\" :id #uuid \"00000000-0000-0000-0000-000000000001\"}]",
        "[{:db/id 105 :email \"p1@x\"}]",
        "[[:db/retractEntity :name]]",
        "[{:name \"p2\" :friend [{:name \"p7\" :friend [{:name \"p8\"}]}]}]",
        "[[:db/add [:name \"p1\"] :_friend [:name \"p6\"]]]",
        "[{:name \"p1\" :code \"12\"}]",
        "[[:fuzz/inc [:name \"p2\"] 30]]",
        "[{:name \"p3\" :data [\"a\" \"b\"]}]",
    ];

    private static readonly string[] AttributeNames =
        ["name", "age", "email", "friend", "parent", "child", "tags", "score", "born", "id", "pair", "point", "name+age", "code", "data", "_friend", "_child", "db/id", "db/ident", "db/txInstant", "unknown", "*"];

    private static readonly string[] Variables = ["?a", "?b", "?c", "?e", "?e", "_", "?a", "?b", "$", "%"];

    private static readonly string[] FunctionNames =
        ["<", ">", "=", "not=", "str", "count", "get-else", "missing?", "ground", "identity", "tuple", "untuple", "+", "*", "/", "-", "max", "min", "subs", "vector", "nil?", "re-find", "re-pattern", "clojure.string/includes?", "get", "unknown-fn", "and", "or", "not", "q"];

    private static readonly string[] Operations =
        ["db/add", "db/add", "db/retract", "db/retractEntity", "db.fn/retractEntity", "db.fn/retractAttribute", "db/cas", "db.fn/cas", "db.fn/call", "db/purge", "db.purge/attribute", "db.purge/entity", "db.history.purge/before", "fuzz/inc", "unknown/op"];

    private static readonly string[] Aggregates = ["count", "sum", "min", "max", "avg", "median", "variance", "stddev", "distinct", "rand", "sample", "count-distinct"];

    /// <summary>EDN text: a random value printed, then mutated; now and then a huge or deeply nested one.</summary>
    public string Edn() => random.Next(50) == 0 ? EdnPrinter.Print(Extreme()) : TextMutations.Mutate(random, EdnPrinter.Print(RandomValues.Value(random, 3)));

    /// <summary>A value at or past a limit: nested deeper than the store or the reader accepts, a long string, a big number, a wide collection.</summary>
    public object Extreme()
    {
        switch (random.Next(5))
        {
            case 0:
            {
                object? value = "deep";
                for (int i = random.Next(990, 1010); i > 0; i--) value = random.Next(3) == 0 ? EdnMap.Of(Keyword.Intern("k"), value) : EdnVector.Create(value);
                return value!;
            }
            case 1:
                return new string('x', random.Next(100_000, 1_000_000));
            case 2:
                return System.Numerics.BigInteger.Pow(random.Next(2, 99), random.Next(1_000, 60_000));
            case 3:
                return EdnVector.From(Enumerable.Range(0, random.Next(10_000, 50_000)).Select(i => (object?)(long)i));
            default:
                return EdnSet.Create(Enumerable.Range(0, random.Next(1_000, 5_000)).Select(i => (object?)EdnVector.Create((long)i, $"s{i}")));
        }
    }

    /// <summary>A query: from the corpus, mutated or not, or built at random; as text or as a value.</summary>
    public object Query() => random.Next(4) switch
    {
        0 => Pick(Queries),
        1 => TextMutations.Mutate(random, Pick(Queries)),
        2 => RandomQuery(),
        _ => EdnPrinter.Print(RandomQuery()),
    };

    /// <summary>Inputs after the database for <paramref name="query"/>: what its :in asks for, or (now and then) random values.</summary>
    public object?[] QueryInputs(object query)
    {
        if (random.Next(5) == 0) return [RandomValues.Value(random, 2)];
        string text = query as string ?? EdnPrinter.Print(query);
        if (!text.Contains(":in", StringComparison.Ordinal)) return [];
        if (text.Contains("?min", StringComparison.Ordinal)) return [25L];
        if (text.Contains("[?n ...]", StringComparison.Ordinal)) return [EdnReader.Read("[\"p1\" \"p2\" \"nobody\"]")];
        if (text.Contains("[[?x ?y]]", StringComparison.Ordinal)) return [EdnReader.Read("[[1 2] [3 1] [2 5]]")];
        return [EdnReader.Read(Rules)];
    }

    /// <summary>A pull pattern: from the corpus, mutated or not, or built at random.</summary>
    public object Pattern() => random.Next(3) switch
    {
        0 => Pick(Patterns),
        1 => TextMutations.Mutate(random, Pick(Patterns)),
        _ => RandomPattern(2),
    };

    /// <summary>An entity id for pull: mostly one of the people, else a lookup ref or a random value.</summary>
    public object EntityId() => random.Next(6) switch
    {
        < 3 => (long)(random.Next(2) == 0 ? random.Next(100, 112) : random.Next(0, 20)),
        3 => EdnVector.Create(Keyword.Intern("name"), $"p{random.Next(0, 9)}"),
        4 => Keyword.Intern(Pick(AttributeNames)),
        _ => RandomValues.Value(random, 1) ?? 0L,
    };

    /// <summary>Transaction data: from the corpus, mutated or not, or built at random.</summary>
    public object Transaction() => random.Next(4) switch
    {
        0 => Pick(Transactions),
        1 => TextMutations.Mutate(random, Pick(Transactions)),
        2 => RandomTransaction(),
        _ => EdnPrinter.Print(RandomTransaction()),
    };

    private string Pick(string[] items) => items[random.Next(items.Length)];

    private object? Term() => random.Next(4) switch
    {
        < 2 => Symbol.Intern(Pick(Variables)),
        2 => Keyword.Intern(Pick(AttributeNames)),
        _ => RandomValues.Value(random, 1),
    };

    private object Clause(int depth)
    {
        switch (random.Next(depth > 0 ? 7 : 4))
        {
            case 0:
            case 1:
                return EdnVector.From(Enumerable.Range(0, random.Next(1, 5)).Select(i => i == 1 ? Keyword.Intern(Pick(AttributeNames)) : Term()));
            case 2:
            {
                var call = EdnList.From([Symbol.Intern(Pick(FunctionNames)), .. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Term())]);
                return random.Next(2) == 0 ? EdnVector.Create(call) : EdnVector.Create(call, Symbol.Intern(Pick(Variables)));
            }
            case 3:
                return EdnList.From([Symbol.Intern(random.Next(2) == 0 ? "anc" : "knows"), Term(), Term()]);
            default:
            {
                string head = random.Next(4) switch { 0 => "not", 1 => "or", 2 => "and", _ => "not-join" };
                var body = Enumerable.Range(0, random.Next(1, 3)).Select(_ => Clause(depth - 1));
                return head == "not-join"
                    ? EdnList.From([Symbol.Intern(head), EdnVector.Create(Symbol.Intern(Pick(Variables))), .. body])
                    : EdnList.From([Symbol.Intern(head), .. body]);
            }
        }
    }

    private object FindElement(string variable) => random.Next(5) switch
    {
        < 3 => Symbol.Intern(variable),
        3 => EdnList.Create(Symbol.Intern(Pick(Aggregates)), Symbol.Intern(variable)),
        _ => EdnList.Create(Symbol.Intern("pull"), Symbol.Intern(variable), RandomPattern(1)),
    };

    private EdnVector RandomQuery()
    {
        // At most three clauses over six people: no product of them takes long.
        var clauses = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Clause(2)).ToList();
        var used = EdnPrinter.Print(EdnVector.From(clauses));
        var bound = Variables.Where(v => v.StartsWith('?') && used.Contains(v, StringComparison.Ordinal)).ToList();
        var items = new List<object?> { Keyword.Intern("find") };
        // Mostly variables the clauses bind, so that most queries get past the parser.
        items.AddRange(Enumerable.Range(0, random.Next(1, 3)).Select(_ => bound.Count > 0 && random.Next(4) > 0 ? FindElement(bound[random.Next(bound.Count)]) : FindElement(Pick(Variables))));
        if (random.Next(4) == 0) items.Add(Symbol.Intern("."));
        if (used.Contains('(') && random.Next(2) == 0) items.AddRange([Keyword.Intern("in"), Symbol.Intern("$"), Symbol.Intern("%")]);
        items.Add(Keyword.Intern("where"));
        items.AddRange(clauses);
        return EdnVector.From(items);
    }

    private object RandomPattern(int depth)
    {
        var items = new List<object?>();
        for (int i = random.Next(0, 4); i > 0; i--)
        {
            switch (random.Next(depth > 0 ? 6 : 4))
            {
                case 0:
                case 1:
                    items.Add(Keyword.Intern(Pick(AttributeNames)));
                    break;
                case 2:
                    items.Add(EdnVector.Create(Keyword.Intern(Pick(AttributeNames)), Keyword.Intern(random.Next(3) switch { 0 => "as", 1 => "limit", _ => "default" }), RandomValues.Value(random, 0)));
                    break;
                case 3:
                    items.Add(Term());
                    break;
                default:
                    object? value = random.Next(3) switch { 0 => Symbol.Intern("..."), 1 => (long)random.Next(-1, 4), _ => RandomPattern(depth - 1) };
                    items.Add(EdnMap.Of(Keyword.Intern(Pick(AttributeNames)), value));
                    break;
            }
        }
        return EdnVector.From(items);
    }

    private object? Entity() => random.Next(6) switch
    {
        0 => (long)(random.Next(2) == 0 ? random.Next(100, 112) : random.Next(-3, 20)),
        1 => $"t{random.Next(3)}",
        2 => EdnVector.Create(Keyword.Intern("name"), $"p{random.Next(9)}"),
        3 => Keyword.Intern(Pick(AttributeNames)),
        _ => RandomValues.Value(random, 1),
    };

    private object? AttributeValue() => random.Next(40) switch
    {
        0 => Extreme(),
        < 14 => Entity(),
        _ => RandomValues.Value(random, 2),
    };

    private EdnVector RandomTransaction()
    {
        var ops = new List<object?>();
        for (int i = random.Next(1, 5); i > 0; i--)
        {
            if (random.Next(2) == 0)
            {
                var map = EdnMap.Empty;
                for (int j = random.Next(0, 4); j > 0; j--) map = map.With(Keyword.Intern(Pick(AttributeNames)), AttributeValue());
                if (random.Next(2) == 0) map = map.With(Keyword.Intern("db/id"), Entity());
                ops.Add(map);
            }
            else
            {
                ops.Add(EdnVector.From([Keyword.Intern(Pick(Operations)), .. Enumerable.Range(0, random.Next(0, 4)).Select(k => k == 1 ? Keyword.Intern(Pick(AttributeNames)) : AttributeValue())]));
            }
        }
        return EdnVector.From(ops);
    }
}
