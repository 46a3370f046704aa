using Hike;
using Hike.Api;
using Hike.Db;
using Hike.Edn;

// A tour of Hike: create a durable database in the embedded file store from Datahike's EDN config,
// define a schema, transact, read through pull, entities and datoms, travel in time, query with
// Datalog, and reopen it from disk. Every step prints what it did.

var path = Path.Combine(Path.GetTempPath(), "hike-tour-" + Guid.NewGuid().ToString("N")[..8]);
var config = DatabaseConfig.Parse($$"""
    {:store {:backend :file :path "{{path.Replace("\\", "\\\\")}}" :id #uuid "{{Guid.NewGuid()}}"}
     :keep-history? true
     :schema-flexibility :write}
    """);
await Database.CreateAsync(config);
var conn = await Database.ConnectAsync(config);
Console.WriteLine($"store:     {path}, commit {conn.Db.CommitId}");

conn.Transact("""
    [{:db/ident :person/name  :db/valueType :db.type/string :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
     {:db/ident :person/age   :db/valueType :db.type/long   :db/cardinality :db.cardinality/one}
     {:db/ident :person/likes :db/valueType :db.type/string :db/cardinality :db.cardinality/many}
     {:db/ident :person/friend :db/valueType :db.type/ref   :db/cardinality :db.cardinality/many}]
    """);
Console.WriteLine("schema:    " + conn.Db.Schema()[Keyword.Intern("person/name")]);

var first = conn.Transact("""
    [{:db/id "alice" :person/name "Alice" :person/age 30 :person/likes ["tea" "chess"]}
     {:person/name "Bob" :person/age 28 :person/friend ["alice"]}]
    """);
Console.WriteLine($"tx {first.Tx}:  {first.TxData.Count} datoms, tempid \"alice\" -> {first.TempIds["alice"]}");

var bob = conn.Db.Pull("[:person/name :person/age {:person/friend [:person/name :person/likes]}]", "[:person/name \"Bob\"]");
Console.WriteLine("pull:      " + bob);

// Upsert through the unique identity: no :db/id needed to change Alice's age.
var second = conn.Transact("[{:person/name \"Alice\" :person/age 31}]");
Console.WriteLine("upsert:    " + string.Join(" ", second.TxData.Where(d => d.A.Name == "age")));

var alice = conn.Db.Entity("[:person/name \"Alice\"]")!;
Console.WriteLine($"entity:    {alice[":person/name"]} is {alice[":person/age"]}, liked by {alice[":person/_friend"]}");

Console.WriteLine("as-of:     age then " + conn.Db.AsOf(first.Tx).Entity("[:person/name \"Alice\"]")![":person/age"]);
Console.WriteLine("history:   " + string.Join(" ", conn.Db.History().Datoms(IndexType.Eavt, alice.Id, Keyword.Intern("person/age"))));

// Datalog: the planner orders clauses by index counts; rules recurse; aggregates group.
var db = conn.Db;
Console.WriteLine("query:     " + db.Q("""
    [:find ?name ?age :where [?p :person/age ?age] [?p :person/name ?name] [(> ?age 29)]]
    """));
Console.WriteLine("rules:     " + db.Q("""
    [:find [?name ...] :in $ % :where [?b :person/name "Bob"] (knows ?b ?f) [?f :person/name ?name]]
    """, "[[(knows ?a ?b) [?a :person/friend ?b]] [(knows ?a ?c) [?a :person/friend ?b] (knows ?b ?c)]]"));
Console.WriteLine("aggregate: " + db.Q("[:find (avg ?age) . :where [_ :person/age ?age]]"));
Console.WriteLine("then:      " + db.Q("[:find ?age . :in $ ?n :where [?p :person/name ?n] [?p :person/age ?age]]", "Alice")
    + " now, " + db.AsOf(first.Tx).Q("[:find ?age . :in $ ?n :where [?p :person/name ?n] [?p :person/age ?age]]", "Alice") + " as of the first transaction");
Console.WriteLine("plan:\n" + Datalog.Explain("[:find ?f :where [?b :person/name \"Bob\"] [?b :person/friend ?f]]", db));

try
{
    conn.Transact("[{:person/name \"Carol\" :person/age \"old\"}]");
}
catch (HikeException e)
{
    Console.WriteLine($"rejected:  [{e.Code}] {e.Message}");
}

// Every acknowledged transaction is on disk: a new connection (or another process) reads it back.
var committed = conn.Db.CommitId;
conn.Release();
using (var reopened = await Database.ConnectAsync(config))
{
    Console.WriteLine($"reopened:  commit {reopened.Db.CommitId} (same: {reopened.Db.CommitId == committed}), parent {reopened.Db.ParentCommitIds[0]}, "
        + $"Alice is {reopened.Db.Entity("[:person/name \"Alice\"]")![":person/age"]}");

    // Branches share everything they have not changed; a three-way merge brings a branch's changes over.
    var main = Keyword.Intern("db");
    var draft = Keyword.Intern("draft");
    await reopened.BranchAsync(main, draft);
    using (var onDraft = await Database.ConnectAsync(config with { Branch = draft }))
    {
        await onDraft.TransactAsync("[{:person/name \"Dave\" :person/age 41}]");
    }
    Console.WriteLine("branches:  " + string.Join(" ", await reopened.GetBranchesAsync()) + "; Dave on :db before the merge: " + (reopened.Db.Entid("[:person/name \"Dave\"]") is not null));
    await reopened.MergeBranchAsync(draft);
    Console.WriteLine($"merged:    Dave is {reopened.Db.Entity("[:person/name \"Dave\"]")![":person/age"]}; the merge commit has {reopened.Db.ParentCommitIds.Count} parents");
}

await Database.DeleteAsync(config);
Console.WriteLine("deleted:   " + !await Database.ExistsAsync(config));
