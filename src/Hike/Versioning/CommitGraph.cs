using Hike.Db;
using Hike.Edn;
using Hike.Index.Datoms;

namespace Hike.Versioning;

/// <summary>
/// The commit graph of a database as transaction data for a database of its own, under
/// <see cref="Schema"/>: commits, their parents, the branches whose history holds them and the
/// transactions each added, with their metadata.
/// </summary>
internal static class CommitGraph
{
    /// <summary>The graph database's schema.</summary>
    public const string Schema = """
        [{:db/ident :hike.commit/id :db/valueType :db.type/uuid :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :hike.commit/parents :db/valueType :db.type/ref :db/cardinality :db.cardinality/many}
         {:db/ident :hike.commit/instant :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :hike.commit/tx-instant :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :hike.commit/max-tx :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :hike.commit/tx-first :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :hike.commit/tx-last :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :hike.commit/branches :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
         {:db/ident :hike.commit/head-of :db/valueType :db.type/keyword :db/cardinality :db.cardinality/many}
         {:db/ident :hike.commit/txs :db/valueType :db.type/ref :db/cardinality :db.cardinality/many :db/isComponent true}
         {:db/ident :hike.tx/id :db/valueType :db.type/long :db/cardinality :db.cardinality/one}
         {:db/ident :hike.tx/instant :db/valueType :db.type/instant :db/cardinality :db.cardinality/one}
         {:db/ident :hike.branch/name :db/valueType :db.type/keyword :db/cardinality :db.cardinality/one :db/unique :db.unique/identity}
         {:db/ident :hike.branch/head :db/valueType :db.type/ref :db/cardinality :db.cardinality/one}]
        """;

    private static readonly Keyword TxInstant = Keyword.Intern("db/txInstant");

    /// <summary>The graph of the commits reachable from <paramref name="heads"/>, as transaction data; <paramref name="load"/> reads a commit's state.</summary>
    public static List<object?> TxData(ICommitLog log, IReadOnlyDictionary<Keyword, DbState> heads, Func<CommitInfo, DbState> load, CancellationToken cancellationToken)
    {
        // Which branches' histories hold each commit.
        var branchesOf = new Dictionary<Guid, List<Keyword>>();
        var commits = new Dictionary<Guid, CommitInfo>();
        foreach (var (name, head) in heads)
        {
            foreach (var commit in CommitDag.Walk(log, [head.Commit!]))
            {
                cancellationToken.ThrowIfCancellationRequested();
                commits.TryAdd(commit.Id, commit);
                if (!branchesOf.TryGetValue(commit.Id, out var list)) branchesOf[commit.Id] = list = [];
                list.Add(name);
            }
        }
        var tx = new List<object?>();
        var maxTx = new Dictionary<Guid, long>();
        foreach (var commit in CommitDag.Walk(log, heads.Values.Select(h => h.Commit!)).Reverse())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = heads.Values.FirstOrDefault(h => h.Commit!.Id == commit.Id) ?? load(commit);
            maxTx[commit.Id] = state.MaxTx;
            var entity = new Dictionary<object, object?>
            {
                [Key("db/id")] = Tempid(commit.Id),
                [Key("hike.commit/id")] = commit.Id,
                [Key("hike.commit/instant")] = commit.Instant,
                [Key("hike.commit/max-tx")] = state.MaxTx,
                [Key("hike.commit/branches")] = EdnVector.From(branchesOf[commit.Id].Select(b => (object?)b)),
            };
            if (state.LastTxInstant != DateTime.MinValue) entity[Key("hike.commit/tx-instant")] = state.LastTxInstant;
            var parents = commit.Parents.Where(commits.ContainsKey).Select(p => (object?)Tempid(p)).ToList();
            if (parents.Count > 0) entity[Key("hike.commit/parents")] = EdnVector.From(parents);
            var heading = heads.Where(h => h.Value.Commit!.Id == commit.Id).Select(h => (object?)h.Key).ToList();
            if (heading.Count > 0) entity[Key("hike.commit/head-of")] = EdnVector.From(heading);
            long first = (commit.Parents.Count > 0 && maxTx.TryGetValue(commit.Parents[0], out long before) ? before : Ids.Tx0) + 1;
            if (first <= state.MaxTx)
            {
                entity[Key("hike.commit/tx-first")] = first;
                entity[Key("hike.commit/tx-last")] = state.MaxTx;
                entity[Key("hike.commit/txs")] = Transactions(state, first, state.MaxTx);
            }
            tx.Add(entity);
        }
        foreach (var (name, head) in heads)
        {
            tx.Add(new Dictionary<object, object?> { [Key("hike.branch/name")] = name, [Key("hike.branch/head")] = Tempid(head.Commit!.Id) });
        }
        return tx;
    }

    /// <summary>The transactions <paramref name="first"/>..<paramref name="last"/> of <paramref name="state"/> as entities: their id, instant and metadata.</summary>
    private static IEnumerable<object?> Transactions(DbState state, long first, long last)
    {
        var entities = new List<object?>();
        Dictionary<object, object?>? current = null;
        long at = -1;
        var from = new IndexDatom(first, 0, ValueOrder.Min, 0, false);
        var to = new IndexDatom(last, int.MaxValue, ValueOrder.Max, Ids.TxMax, true);
        foreach (var datom in DbView.Of(state).Range(IndexType.Eavt, from, to))
        {
            if (datom.E != at)
            {
                at = datom.E;
                current = new Dictionary<object, object?> { [Key("hike.tx/id")] = datom.E };
                entities.Add(current);
            }
            var ident = state.Schema[datom.A].Ident;
            var attribute = ReferenceEquals(ident, TxInstant) ? Key("hike.tx/instant") : ident;
            // A cardinality-many attribute of the metadata keeps all its values.
            if (current!.TryGetValue(attribute, out var earlier)) current[attribute] = earlier is List<object?> values ? [.. values, datom.V] : new List<object?> { earlier, datom.V };
            else current[attribute] = datom.V;
        }
        return entities;
    }

    private static string Tempid(Guid commit) => "commit-" + commit.ToString("N");

    private static Keyword Key(string name) => Keyword.Intern(name);
}
