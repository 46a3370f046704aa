using System.Collections.Concurrent;
using Hike.Edn;
using Microsoft.Data.Sqlite;
using static Hike.Bench.DatomsTables;

namespace Hike.Bench;

/// <summary>
/// SQLite as a triple store is usually built: one <c>datoms(e, a, v, tx)</c> table (<c>v</c> untyped,
/// holding text and integers) with covering EAVT, AEVT and AVET indexes, attribute keywords interned
/// to integers in <c>attrs</c>, WAL with <c>synchronous=FULL</c> (an fsync per commit, as durable as
/// Hike's file store). A transaction is <c>BEGIN IMMEDIATE</c>, one insert per datom through a prepared
/// command, the transaction's <c>:db/txInstant</c> datom (when Hike records one), <c>COMMIT</c>.
/// Keywords are stored as their text (<c>":female"</c>); instants as Unix milliseconds.
/// </summary>
internal sealed class SqliteTarget : IDurableTarget
{
    private readonly bool _harnessLock;
    private readonly bool _withoutRowid;
    private readonly bool _avetAll;
    private readonly bool _txInstants;

    /// <param name="harnessLock">Concurrent submitters take turns on one lock in the harness, rather than waiting in SQLite's busy handler.</param>
    /// <param name="withoutRowid">The table is WITHOUT ROWID with EAVT as its key, rather than a rowid table with three indexes.</param>
    /// <param name="avetAll">AVET holds every attribute, rather than only the indexed ones (which is what Hike's AVET holds).</param>
    /// <param name="txInstants">Each transaction records its <c>:db/txInstant</c> datom.</param>
    public SqliteTarget(bool harnessLock, bool withoutRowid, bool avetAll, bool txInstants)
    {
        _txInstants = txInstants;
        _harnessLock = harnessLock;
        _withoutRowid = withoutRowid;
        _avetAll = avetAll;
    }

    /// <summary>The side's name in result lines.</summary>
    public string Name { get; init; } = "sqlite";

    /// <summary>The layout in words, for the run's header.</summary>
    public string Describe() =>
        $"{(_withoutRowid ? "WITHOUT ROWID table keyed (e,a,v,tx) + aevt + avet" : "rowid table + eavt, aevt, avet covering indexes")}, " +
        $"avet {(_avetAll ? "on all attributes" : "partial, one index (v,e,tx) per indexed attribute, as Hike's AVET")}, concurrent writers {(_harnessLock ? "take turns on a harness lock" : "wait in busy_timeout")}";

    public Task CreateAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        using var c = Connect(dir, 64L << 20);
        Exec(c, "CREATE TABLE attrs(id INTEGER PRIMARY KEY, ident TEXT NOT NULL UNIQUE, indexed INTEGER NOT NULL)");
        // The schema: the transaction instant, and :name indexed (in AVET) as on Hike's side.
        Exec(c, $"INSERT INTO attrs(ident, indexed) VALUES ('{TxInstant}', 0), ('{NameAttr}', 1)");
        Exec(c, _withoutRowid
            ? "CREATE TABLE datoms(e INTEGER NOT NULL, a INTEGER NOT NULL, v NOT NULL, tx INTEGER NOT NULL, PRIMARY KEY (e, a, v, tx)) WITHOUT ROWID"
            : "CREATE TABLE datoms(e INTEGER NOT NULL, a INTEGER NOT NULL, v NOT NULL, tx INTEGER NOT NULL); CREATE INDEX eavt ON datoms(e, a, v, tx)");
        Exec(c, "CREATE INDEX aevt ON datoms(a, e, v, tx)");
        if (_avetAll)
        {
            Exec(c, "CREATE INDEX avet ON datoms(a, v, e, tx)");
        }
        else
        {
            // One partial index per indexed attribute: SQLite uses a partial index only when it can see
            // that the query's WHERE implies the index's, and it does not see that `a = 2` implies `a IN (2)`.
            foreach (long id in IndexedIds(c)) Exec(c, $"CREATE INDEX avet_{id} ON datoms(v, e, tx) WHERE a = {id}");
        }
        using var plan = Prepare(c, $"EXPLAIN QUERY PLAN {PointQuery(NameId(c))}", "$v");
        plan.Parameters[0].Value = string.Empty;
        using (var r = plan.ExecuteReader())
        {
            while (r.Read())
            {
                if (!r.GetString(3).Contains("INDEX avet", StringComparison.Ordinal)) throw new InvalidOperationException($"SQLite answers the point query without AVET: {r.GetString(3)}");
            }
        }
        return Task.CompletedTask;
    }

    public Task<IDurableSession> OpenAsync(string dir, long cacheBytes) => Task.FromResult<IDurableSession>(new Session(this, dir, cacheBytes));

    public Task DeleteAsync(string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The point query; the attribute id is a literal so that SQLite can use a partial AVET index.</summary>
    private static string PointQuery(long nameId) => $"SELECT e FROM datoms WHERE a = {nameId} AND v = $v";

    private static long NameId(SqliteConnection c)
    {
        using var cmd = Prepare(c, "SELECT id FROM attrs WHERE ident = $ident", "$ident");
        cmd.Parameters[0].Value = NameAttr.ToString();
        return (long)cmd.ExecuteScalar()!;
    }

    private static List<long> IndexedIds(SqliteConnection c)
    {
        var ids = new List<long>();
        using var cmd = Prepare(c, "SELECT id FROM attrs WHERE indexed = 1 ORDER BY id");
        using var r = cmd.ExecuteReader();
        while (r.Read()) ids.Add(r.GetInt64(0));
        return ids;
    }

    private static SqliteConnection Connect(string dir, long cacheBytes)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, "datoms.db"), Pooling = false }.ToString());
        c.Open();
        Exec(c, $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA cache_size=-{cacheBytes >> 10}");
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection c, string sql, params string[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters) cmd.Parameters.Add(new SqliteParameter(p, null));
        cmd.Prepare();
        return cmd;
    }

    private static object Stored(object value) => value switch
    {
        string or long => value,
        Keyword k => k.ToString(),
        _ => throw new NotSupportedException($"no SQLite encoding for {value.GetType().Name}"),
    };

    private sealed class Session : IDurableSession
    {
        private readonly string _dir;
        private readonly long _cacheBytes;
        private readonly SqliteConnection _main;
        private readonly SqliteCommand _findByName;
        private readonly ConcurrentDictionary<Keyword, long> _attrIds = new();
        private readonly Dictionary<long, Keyword> _idents = [];
        private readonly SemaphoreSlim? _gate;
        private readonly long _txInstantId;
        private readonly bool _txInstants;
        private Writer?[] _writers = [];
        private long _lastE;
        private long _lastTx;

        public Session(SqliteTarget target, string dir, long cacheBytes)
        {
            _dir = dir;
            _cacheBytes = cacheBytes;
            _gate = target._harnessLock ? new SemaphoreSlim(1, 1) : null;
            _txInstants = target._txInstants;
            _main = Connect(dir, cacheBytes);
            using (var attrs = Prepare(_main, "SELECT id, ident FROM attrs"))
            using (var r = attrs.ExecuteReader())
            {
                while (r.Read())
                {
                    var k = Keyword.Intern(r.GetString(1)[1..]);
                    _attrIds[k] = r.GetInt64(0);
                    _idents[r.GetInt64(0)] = k;
                }
            }
            _txInstantId = _attrIds[TxInstant];
            _lastE = Scalar("SELECT ifnull(max(e), 0) FROM datoms WHERE e < " + Tx0);
            _lastTx = Math.Max(Tx0, Scalar("SELECT ifnull(max(e), 0) FROM datoms"));
            _findByName = Prepare(_main, PointQuery(_attrIds[NameAttr]), "$v");
        }

        public void PrepareSubmitters(int count)
        {
            if (_writers.Length < count) Array.Resize(ref _writers, count);
            for (int i = 0; i < count; i++) _writers[i] ??= new Writer(Connect(_dir, _cacheBytes));
        }

        public async Task TransactAsync(int submitter, DurablePerson[] people)
        {
            var w = _writers[submitter] ?? throw new InvalidOperationException($"submitter {submitter} not prepared");
            if (_gate is not null) await _gate.WaitAsync().ConfigureAwait(false);
            try
            {
                Write(w, people);
            }
            finally
            {
                _gate?.Release();
            }
        }

        public long? FindByName(string name)
        {
            _findByName.Parameters[0].Value = name;
            return _findByName.ExecuteScalar() as long?;
        }

        public long ScanEavt()
        {
            using var cmd = Prepare(_main, "SELECT e, a, v, tx FROM datoms ORDER BY e, a, v, tx");
            using var r = cmd.ExecuteReader();
            long n = 0;
            while (r.Read())
            {
                // What a datom iterator does: every column read, the attribute resolved to its keyword.
                long e = r.GetInt64(0);
                var a = _idents[r.GetInt64(1)];
                object v = r.GetValue(2);
                long tx = r.GetInt64(3);
                if (e != 0 && a is not null && v is not null && tx != 0) n++;
            }
            return n;
        }

        public long CountEntityDatoms() => Scalar("SELECT count(*) FROM datoms WHERE e < " + Tx0);

        public void Dispose()
        {
            foreach (var w in _writers) w?.Dispose();
            _findByName.Dispose();
            _main.Dispose();
            _gate?.Dispose();
        }

        private long Scalar(string sql)
        {
            using var cmd = Prepare(_main, sql);
            return (long)cmd.ExecuteScalar()!;
        }

        private void Write(Writer w, DurablePerson[] people)
        {
            // BEGIN IMMEDIATE takes the write lock, so ids are taken in commit order.
            w.Begin.ExecuteNonQuery();
            try
            {
                long tx = Interlocked.Increment(ref _lastTx);
                foreach (var p in people)
                {
                    long e = Interlocked.Increment(ref _lastE);
                    foreach (var (a, v) in p.Facts) w.Add(e, AttrId(w, a), Stored(v), tx);
                }
                if (_txInstants) w.Add(tx, _txInstantId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tx);
                w.Commit.ExecuteNonQuery();
            }
            catch
            {
                w.Rollback.ExecuteNonQuery();
                throw;
            }
        }

        /// <summary>The attribute's id, interned within the caller's write transaction on first use.</summary>
        private long AttrId(Writer w, Keyword a)
        {
            if (_attrIds.TryGetValue(a, out long id)) return id;
            w.Intern.Parameters[0].Value = a.ToString();
            id = (long)w.Intern.ExecuteScalar()!;
            _attrIds[a] = id;
            return id;
        }
    }

    /// <summary>One submitter's connection and its prepared commands.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly SqliteConnection _conn;
        private readonly SqliteCommand _insert;

        public Writer(SqliteConnection conn)
        {
            _conn = conn;
            Begin = Prepare(conn, "BEGIN IMMEDIATE");
            Commit = Prepare(conn, "COMMIT");
            Rollback = Prepare(conn, "ROLLBACK");
            Intern = Prepare(conn, "INSERT INTO attrs(ident, indexed) VALUES ($ident, 0) ON CONFLICT (ident) DO UPDATE SET indexed = indexed RETURNING id", "$ident");
            _insert = Prepare(conn, "INSERT INTO datoms(e, a, v, tx) VALUES ($e, $a, $v, $tx)", "$e", "$a", "$v", "$tx");
        }

        public SqliteCommand Begin { get; }

        public SqliteCommand Commit { get; }

        public SqliteCommand Rollback { get; }

        public SqliteCommand Intern { get; }

        public void Add(long e, long a, object v, long tx)
        {
            var ps = _insert.Parameters;
            ps[0].Value = e;
            ps[1].Value = a;
            ps[2].Value = v;
            ps[3].Value = tx;
            _insert.ExecuteNonQuery();
        }

        public void Dispose()
        {
            Begin.Dispose();
            Commit.Dispose();
            Rollback.Dispose();
            Intern.Dispose();
            _insert.Dispose();
            _conn.Dispose();
        }
    }
}
