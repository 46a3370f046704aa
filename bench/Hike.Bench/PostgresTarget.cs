using System.Collections.Concurrent;
using Hike.Edn;
using Npgsql;
using NpgsqlTypes;
using static Hike.Bench.DatomsTables;

namespace Hike.Bench;

/// <summary>
/// PostgreSQL as a triple store, with <see cref="SqliteTarget"/>'s schema in PostgreSQL's natural
/// form: a PostgreSQL schema of its own per database holding <c>attrs</c> (attribute keywords interned
/// to integers) and a heap table <c>datoms(e, a, v_text, v_long, tx)</c>, <c>v</c> as a typed pair of
/// which exactly one is set (strings and keywords as text, <c>":female"</c>; integers and instants, as
/// Unix milliseconds, as bigint), with covering EAVT and AEVT indexes and one partial AVET index
/// <c>(v_text, v_long, e, tx)</c> per indexed attribute, as Hike's AVET. Each submitter has a
/// connection of its own and commits a transaction per Hike transaction: its datoms (and the
/// transaction's <c>:db/txInstant</c>) in one multi-row <c>INSERT … SELECT FROM unnest(…)</c>, then
/// <c>COMMIT</c>: two round trips. Concurrent submitters commit concurrently, as PostgreSQL allows.
/// </summary>
/// <param name="source">The server's connections (a pool, so that each submitter holds one of its own).</param>
/// <param name="txInstants">Each transaction records its <c>:db/txInstant</c> datom.</param>
internal sealed class PostgresTarget(NpgsqlDataSource source, bool txInstants) : IDurableTarget
{
    private readonly NpgsqlDataSource _source = source;
    private readonly bool _txInstants = txInstants;

    public string Name { get; init; } = "postgresql";

    /// <summary>The layout in words, for the run's header.</summary>
    public static string Describe() =>
        "a schema per database: heap table datoms(e, a, v_text, v_long, tx), v as text (strings, keywords) or bigint (integers, instants), " +
        "covering eavt and aevt indexes, avet partial per indexed attribute as Hike's AVET, attributes interned in attrs; " +
        "a connection per submitter, one INSERT ... unnest(...) and COMMIT per transaction";

    /// <summary>The PostgreSQL schema of the database in <paramref name="dir"/>.</summary>
    private static string SchemaOf(string dir) => "datoms_" + StoreNames.Of(dir);

    public async Task CreateAsync(string dir)
    {
        string s = SchemaOf(dir);
        await ExecAsync(
            $"CREATE SCHEMA {s}; " +
            $"CREATE TABLE {s}.attrs(id serial PRIMARY KEY, ident text NOT NULL UNIQUE, indexed boolean NOT NULL); " +
            $"INSERT INTO {s}.attrs(ident, indexed) VALUES ('{TxInstant}', false), ('{NameAttr}', true); " +
            $"CREATE TABLE {s}.datoms(e bigint NOT NULL, a integer NOT NULL, v_text text COLLATE \"C\", v_long bigint, tx bigint NOT NULL, CHECK ((v_text IS NULL) <> (v_long IS NULL))); " +
            $"CREATE INDEX eavt ON {s}.datoms(e, a, v_text, v_long, tx); " +
            $"CREATE INDEX aevt ON {s}.datoms(a, e, v_text, v_long, tx)").ConfigureAwait(false);
        await using var conn = await _source.OpenConnectionAsync().ConfigureAwait(false);
        foreach (long id in await ScalarsAsync(conn, $"SELECT id FROM {s}.attrs WHERE indexed ORDER BY id").ConfigureAwait(false))
        {
            await ExecAsync($"CREATE INDEX avet_{id} ON {s}.datoms(v_text, v_long, e, tx) WHERE a = {id}").ConfigureAwait(false);
        }
    }

    public async Task<IDurableSession> OpenAsync(string dir, long cacheBytes)
    {
        var session = new Session(this, SchemaOf(dir));
        await session.LoadAsync().ConfigureAwait(false);
        return session;
    }

    public Task DeleteAsync(string dir) => ExecAsync($"DROP SCHEMA IF EXISTS {SchemaOf(dir)} CASCADE");

    /// <summary>The point query; the attribute id is a literal so that PostgreSQL can use the partial AVET index.</summary>
    private static string PointQuery(string schema, long nameId) => $"SELECT e FROM {schema}.datoms WHERE a = {nameId} AND v_text = $1";

    private async Task ExecAsync(string sql)
    {
        await using var cmd = _source.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<List<long>> ScalarsAsync(NpgsqlConnection conn, string sql)
    {
        var values = new List<long>();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync().ConfigureAwait(false);
        while (await r.ReadAsync().ConfigureAwait(false)) values.Add(Convert.ToInt64(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        return values;
    }

    private sealed class Session : IDurableSession
    {
        private readonly PostgresTarget _target;
        private readonly string _schema;
        private readonly NpgsqlConnection _main;
        private readonly ConcurrentDictionary<Keyword, int> _attrIds = new();
        private readonly Dictionary<int, Keyword> _idents = [];
        private Writer?[] _writers = [];
        private NpgsqlCommand? _findByName;
        private int _txInstantId;
        private long _lastE;
        private long _lastTx;

        public Session(PostgresTarget target, string schema)
        {
            _target = target;
            _schema = schema;
            _main = target._source.OpenConnection();
        }

        public async Task LoadAsync()
        {
            await using (var attrs = new NpgsqlCommand($"SELECT id, ident FROM {_schema}.attrs", _main))
            await using (var r = await attrs.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await r.ReadAsync().ConfigureAwait(false))
                {
                    var k = Keyword.Intern(r.GetString(1)[1..]);
                    _attrIds[k] = r.GetInt32(0);
                    _idents[r.GetInt32(0)] = k;
                }
            }
            _txInstantId = _attrIds[TxInstant];
            _lastE = Scalar($"SELECT coalesce(max(e), 0) FROM {_schema}.datoms WHERE e < {Tx0}");
            _lastTx = Math.Max(Tx0, Scalar($"SELECT coalesce(max(e), 0) FROM {_schema}.datoms"));
            _findByName = new NpgsqlCommand(PointQuery(_schema, _attrIds[NameAttr]), _main) { Parameters = { new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text } } };
            await _findByName.PrepareAsync().ConfigureAwait(false);
        }

        public void PrepareSubmitters(int count)
        {
            if (_writers.Length < count) Array.Resize(ref _writers, count);
            for (int i = 0; i < count; i++) _writers[i] ??= new Writer(_target._source.OpenConnection(), _schema);
        }

        public async Task TransactAsync(int submitter, DurablePerson[] people)
        {
            var w = _writers[submitter] ?? throw new InvalidOperationException($"submitter {submitter} not prepared");
            w.Clear();
            long tx = Interlocked.Increment(ref _lastTx);
            foreach (var p in people)
            {
                long e = Interlocked.Increment(ref _lastE);
                foreach (var (a, v) in p.Facts) w.Add(e, await AttrIdAsync(w, a).ConfigureAwait(false), v, tx);
            }
            if (_target._txInstants) w.Add(tx, _txInstantId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tx);
            await w.CommitAsync().ConfigureAwait(false);
        }

        public long? FindByName(string name)
        {
            var cmd = _findByName!;
            ((NpgsqlParameter<string>)cmd.Parameters[0]).TypedValue = name;
            return cmd.ExecuteScalar() as long?;
        }

        public long ScanEavt()
        {
            using var cmd = new NpgsqlCommand($"SELECT e, a, v_text, v_long, tx FROM {_schema}.datoms ORDER BY e, a, v_text, v_long, tx", _main);
            using var r = cmd.ExecuteReader();
            long n = 0;
            while (r.Read())
            {
                // What a datom iterator does: every column read, the attribute resolved to its keyword.
                long e = r.GetInt64(0);
                var a = _idents[r.GetInt32(1)];
                object v = r.IsDBNull(2) ? r.GetInt64(3) : r.GetString(2);
                long tx = r.GetInt64(4);
                if (e != 0 && a is not null && v is not null && tx != 0) n++;
            }
            return n;
        }

        public long CountEntityDatoms() => Scalar($"SELECT count(*) FROM {_schema}.datoms WHERE e < {Tx0}");

        public void Dispose()
        {
            foreach (var w in _writers) w?.Dispose();
            _findByName?.Dispose();
            _main.Dispose();
        }

        private long Scalar(string sql)
        {
            using var cmd = new NpgsqlCommand(sql, _main);
            return (long)cmd.ExecuteScalar()!;
        }

        /// <summary>The attribute's id, interned on first use in a statement of its own (before the writer's transaction).</summary>
        private async ValueTask<int> AttrIdAsync(Writer w, Keyword a)
        {
            if (_attrIds.TryGetValue(a, out int id)) return id;
            id = await w.InternAsync(a).ConfigureAwait(false);
            _attrIds[a] = id;
            return id;
        }
    }

    /// <summary>One submitter's connection, its prepared insert and the datoms of its next transaction.</summary>
    private sealed class Writer : IDisposable
    {
        private readonly NpgsqlConnection _conn;
        private readonly NpgsqlCommand _insert;
        private readonly NpgsqlCommand _intern;
        private readonly List<long> _e = [];
        private readonly List<int> _a = [];
        private readonly List<string?> _vText = [];
        private readonly List<long?> _vLong = [];
        private readonly List<long> _tx = [];

        public Writer(NpgsqlConnection conn, string schema)
        {
            _conn = conn;
            _insert = new NpgsqlCommand(
                $"INSERT INTO {schema}.datoms(e, a, v_text, v_long, tx) SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::bigint[])", conn)
            {
                Parameters =
                {
                    new NpgsqlParameter<List<long>> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = _e },
                    new NpgsqlParameter<List<int>> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, TypedValue = _a },
                    new NpgsqlParameter<List<string?>> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, TypedValue = _vText },
                    new NpgsqlParameter<List<long?>> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = _vLong },
                    new NpgsqlParameter<List<long>> { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, TypedValue = _tx },
                },
            };
            _insert.Prepare();
            _intern = new NpgsqlCommand(
                $"INSERT INTO {schema}.attrs(ident, indexed) VALUES ($1, false) ON CONFLICT (ident) DO UPDATE SET indexed = {schema}.attrs.indexed RETURNING id", conn)
            {
                Parameters = { new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text } },
            };
        }

        public void Clear()
        {
            _e.Clear();
            _a.Clear();
            _vText.Clear();
            _vLong.Clear();
            _tx.Clear();
        }

        public void Add(long e, int a, object v, long tx)
        {
            _e.Add(e);
            _a.Add(a);
            switch (v)
            {
                case string text: _vText.Add(text); _vLong.Add(null); break;
                case Keyword k: _vText.Add(k.ToString()); _vLong.Add(null); break;
                case long n: _vText.Add(null); _vLong.Add(n); break;
                default: throw new NotSupportedException($"no PostgreSQL encoding for {v.GetType().Name}");
            }
            _tx.Add(tx);
        }

        public async Task<int> InternAsync(Keyword a)
        {
            ((NpgsqlParameter<string>)_intern.Parameters[0]).TypedValue = a.ToString();
            return (int)(await _intern.ExecuteScalarAsync().ConfigureAwait(false))!;
        }

        /// <summary>Writes the datoms added since <see cref="Clear"/> in one transaction: BEGIN goes out with the insert, then COMMIT.</summary>
        public async Task CommitAsync()
        {
            await using var t = await _conn.BeginTransactionAsync().ConfigureAwait(false);
            await _insert.ExecuteNonQueryAsync().ConfigureAwait(false);
            await t.CommitAsync().ConfigureAwait(false);
        }

        public void Dispose()
        {
            _insert.Dispose();
            _intern.Dispose();
            _conn.Dispose();
        }
    }
}
