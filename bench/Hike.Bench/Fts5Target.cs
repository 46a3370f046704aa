using Microsoft.Data.Sqlite;

namespace Hike.Bench;

/// <summary>
/// SQLite's FTS5 through Microsoft.Data.Sqlite: a file database in WAL mode with
/// <c>synchronous=FULL</c> (an fsync per commit, as <see cref="SqliteTarget"/>), one table
/// <c>fts5(id UNINDEXED, gloss)</c> with FTS5's default tokenizer (unicode61: no stemming, no stop
/// words), one transaction per batch, a WAL checkpoint after the load, queries ranked by <c>bm25</c> (<c>ORDER BY rank</c>, k1 1.2, b 0.75).
/// Lucene's query syntax is translated as the corpus README says (<see cref="Translate"/>).
/// </summary>
internal sealed class Fts5Target : IFullTextTarget
{
    private string _dir = "";
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private SqliteCommand? _search;

    public string Name => "fts5";

    public string Describe()
    {
        string version = _connection?.ServerVersion ?? "?";
        return $"SQLite {version} FTS5 (Microsoft.Data.Sqlite), fts5(id UNINDEXED, gloss) with the unicode61 tokenizer (no stop words), " +
            "WAL, synchronous=FULL, a transaction per batch, wal_checkpoint(TRUNCATE) after the load, MATCH ... ORDER BY rank (bm25) LIMIT 10; queries translated: +a +b -> a AND b, a b -> a OR b";
    }

    public Task OpenAsync(string dir)
    {
        _dir = dir;
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "glosses.db"), Pooling = false }.ToString());
        c.Open();
        _connection = c;
        Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL");
        using (var check = _connection.CreateCommand())
        {
            check.CommandText = "PRAGMA journal_mode; PRAGMA synchronous";
            using var r = check.ExecuteReader();
            r.Read();
            string mode = r.GetString(0);
            r.NextResult();
            r.Read();
            if (mode != "wal" || r.GetInt64(0) != 2) throw new InvalidOperationException($"SQLite took journal_mode {mode}, synchronous {r.GetInt64(0)}, not wal and FULL (2)");
        }
        Exec("CREATE VIRTUAL TABLE glosses USING fts5(id UNINDEXED, gloss)");
        _insert = Prepare("INSERT INTO glosses(id, gloss) VALUES ($id, $gloss)", "$id", "$gloss");
        _search = Prepare("SELECT id, rank FROM glosses WHERE glosses MATCH $q ORDER BY rank LIMIT $k", "$q", "$k");
        return Task.CompletedTask;
    }

    public Task IndexAsync(IReadOnlyList<WordNet.Gloss> glosses)
    {
        var c = _connection ?? throw new InvalidOperationException("not open");
        using var tx = c.BeginTransaction();
        _insert!.Transaction = tx;
        foreach (var g in glosses)
        {
            _insert.Parameters[0].Value = g.Id;
            _insert.Parameters[1].Value = g.Text;
            _insert.ExecuteNonQuery();
        }
        tx.Commit();
        _insert.Transaction = null;
        return Task.CompletedTask;
    }

    public Task FinishLoadingAsync()
    {
        // The WAL holds the last pages written until a checkpoint copies them into the database; copy
        // them and empty it, as Lucene's finishing commits its merges, so the store's size is the index's.
        Exec("PRAGMA wal_checkpoint(TRUNCATE)");
        return Task.CompletedTask;
    }

    public IReadOnlyList<FullTextHit> Search(WordNet.Query query, int k)
    {
        var search = _search ?? throw new InvalidOperationException("not open");
        search.Parameters[0].Value = Translate(query);
        search.Parameters[1].Value = k;
        var hits = new List<FullTextHit>(k);
        using var r = search.ExecuteReader();
        // bm25() is lower for better matches; negated, higher ranks first as in Lucene.
        while (r.Read()) hits.Add(new FullTextHit(r.GetString(0), -r.GetDouble(1)));
        return hits;
    }

    /// <summary>
    /// A query of the corpus in FTS5's syntax: <c>+a +b</c> → <c>a AND b</c>, <c>"a b"</c> unchanged,
    /// <c>abcd*</c> unchanged, <c>a b</c> → <c>a OR b</c>. Words are quoted, so that one that is an FTS5
    /// keyword (<c>AND</c>, <c>NEAR</c>) stays a word.
    /// </summary>
    public static string Translate(WordNet.Query query)
    {
        string q = query.Text;
        return query.Kind switch
        {
            "term" => Quote(q),
            "phrase" => q,
            "prefix" => q.EndsWith('*') ? Quote(q[..^1]) + "*" : throw new FormatException($"prefix query without *: {q}"),
            "and" => string.Join(" AND ", q.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => Quote(w.TrimStart('+')))),
            "or" => string.Join(" OR ", q.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Quote)),
            _ => throw new FormatException($"unknown query kind {query.Kind}"),
        };
    }

    private static string Quote(string word) => "\"" + word.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public long BytesOnDisk() => FullTextBench.FolderBytes(_dir);

    public void Dispose()
    {
        _insert?.Dispose();
        _search?.Dispose();
        _connection?.Dispose();
    }

    private void Exec(string sql)
    {
        using var cmd = _connection!.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _connection!.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, null));
        cmd.Prepare();
        return cmd;
    }
}
