using System.Data;
using System.Data.Common;

namespace Hike.Storage;

/// <summary>
/// A store in one table of a SQL database (the <c>:jdbc</c> backends: PostgreSQL, SQLite), through
/// ADO.NET: a row per key, <c>(k text primary key, v bytes)</c>. Every statement is atomic on its own:
/// a compare-and-set is one conditional <c>UPDATE</c> (or an <c>INSERT … ON CONFLICT DO NOTHING</c>),
/// and a write is durable when the statement returns, so <see cref="Sync"/> has nothing to do. Values
/// are replaced whole (<see cref="AppendsInPlace"/> is false). The writer lock is a
/// <see cref="WriterLease"/> in the reserved row <see cref="StoreKeys.LockFileName"/>, which
/// <see cref="List"/> never shows. Failures of the database become <see cref="IOException"/>s naming
/// the store, never its credentials; transient ones are first retried (<see cref="NetworkRetry"/>).
/// A commit's pack and head (<see cref="CreateThenCompareAndSet"/>) go in one statement where the
/// dialect allows writes in a <c>WITH</c> clause (PostgreSQL: one round trip), else in one transaction
/// (SQLite: one durability point). Thread-safe: each call takes a pooled connection.
/// </summary>
internal sealed class SqlTableStore : IKeyValueStore, ILeaseCell
{
    private const string LeaseKey = StoreKeys.LockFileName;

    private static readonly Polly.ResiliencePipeline Retry = NetworkRetry.Pipeline(e => e is DbException { IsTransient: true } or TimeoutException);

    private readonly DbDataSource _source;
    private readonly bool _ownsSource;
    private readonly string _description;
    private readonly string _get;
    private readonly string _getRange;
    private readonly string _size;
    private readonly string _put;
    private readonly string _insert;
    private readonly string _update;
    private readonly string _delete;
    private readonly string _deleteIf;
    private readonly string _list;
    private readonly string? _createThenUpdate;
    private readonly string? _createThenInsert;
    private readonly LeaseHolder _writer;

    /// <summary>
    /// The store in table <paramref name="table"/> (a plain identifier: lower-case letters, digits and
    /// <c>_</c>) of <paramref name="source"/>, named <paramref name="description"/> in messages.
    /// <paramref name="createTable"/> is the dialect's <c>CREATE TABLE IF NOT EXISTS</c> with <c>{0}</c>
    /// for the table, its key column comparing bytewise (PostgreSQL: <c>COLLATE "C"</c>); null when
    /// the table exists, so that a reader without the right to create tables can open it. With
    /// <paramref name="ownsSource"/> the store disposes the source when it is disposed; a source the
    /// process shares among its stores (one connection pool per server) is left open.
    /// <paramref name="writesInWith"/>: the dialect runs <c>INSERT</c> and <c>UPDATE</c> inside <c>WITH</c>
    /// (PostgreSQL), so a commit's two writes are one statement.
    /// </summary>
    public SqlTableStore(DbDataSource source, bool ownsSource, string table, string? createTable, string description, TimeSpan? leaseDuration = null, bool writesInWith = false)
    {
        _source = source;
        _ownsSource = ownsSource;
        _description = description;
        _writer = new LeaseHolder(this, description, leaseDuration ?? WriterLease.DefaultDuration);
        string t = $"\"{table}\"";
        _get = $"SELECT v FROM {t} WHERE k = @k";
        _getRange = $"SELECT substr(v, @o, @n), length(v) FROM {t} WHERE k = @k";
        _size = $"SELECT length(v) FROM {t} WHERE k = @k";
        _put = $"INSERT INTO {t} (k, v) VALUES (@k, @v) ON CONFLICT (k) DO UPDATE SET v = excluded.v";
        _insert = $"INSERT INTO {t} (k, v) VALUES (@k, @v) ON CONFLICT (k) DO NOTHING";
        _update = $"UPDATE {t} SET v = @v WHERE k = @k AND v = @old";
        _delete = $"DELETE FROM {t} WHERE k = @k";
        _deleteIf = $"DELETE FROM {t} WHERE k = @k AND v = @old";
        _list = $"SELECT k FROM {t} WHERE k >= @p AND k < @end AND k <> '{LeaseKey}'";
        if (writesInWith)
        {
            // The head moves only when the pack row was created by this very statement.
            string pack = $"WITH pack AS (INSERT INTO {t} (k, v) VALUES (@pk, @pv) ON CONFLICT (k) DO NOTHING RETURNING 1)";
            _createThenUpdate = $"{pack}, head AS (UPDATE {t} SET v = @v WHERE k = @k AND v = @old AND EXISTS (SELECT 1 FROM pack) RETURNING 1) SELECT count(*) FROM head";
            _createThenInsert = $"{pack}, head AS (INSERT INTO {t} (k, v) SELECT @k, @v WHERE EXISTS (SELECT 1 FROM pack) ON CONFLICT (k) DO NOTHING RETURNING 1) SELECT count(*) FROM head";
        }
        if (createTable is not null) Run(c => Execute(c, string.Format(System.Globalization.CultureInfo.InvariantCulture, createTable, t)));
    }

    /// <summary>True when <paramref name="table"/> can name a store's table.</summary>
    public static bool IsValidTable(string table) =>
        table.Length is > 0 and <= 63 && table[0] is >= 'a' and <= 'z' or '_' && table.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_');

    public bool AppendsInPlace => false;

    /// <summary>True when the table holds no key (the lease row aside).</summary>
    public bool IsEmpty => !List("").Any();

    public byte[]? Get(string key)
    {
        StoreKeys.Validate(key);
        return Read(key);
    }

    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        // A value is one pack here, well below 2 GiB; an offset past that is past its end.
        int from = (int)Math.Min(offset + 1, int.MaxValue);
        return Run(c =>
        {
            using var command = Command(c, _getRange, ("k", key), ("o", from), ("n", length));
            using var reader = command.ExecuteReader();
            if (!reader.Read()) return null;
            long total = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            return offset >= total || length == 0 ? [] : (byte[])reader.GetValue(0);
        });
    }

    public long? Size(string key)
    {
        StoreKeys.Validate(key);
        return Run(c =>
        {
            using var command = Command(c, _size, ("k", key));
            return command.ExecuteScalar() is { } length and not DBNull ? Convert.ToInt64(length, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        });
    }

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        StoreKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(ranges);
        Change(key, current =>
        {
            if (current is null) return null;
            var trimmed = (byte[])current.Clone();
            foreach (var (offset, length) in ranges)
            {
                if (offset < trimmed.Length) trimmed.AsSpan((int)offset, (int)Math.Min(length, trimmed.Length - offset)).Clear();
            }
            return trimmed;
        });
    }

    public void Put(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        var bytes = value.ToArray();
        Run(c => Execute(c, _put, ("k", key), ("v", bytes)));
    }

    /// <summary>Creates the key, or joins <paramref name="value"/> to its value by compare-and-set: O(the value's length).</summary>
    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        var added = value.ToArray();
        long at = 0;
        Change(key, current =>
        {
            at = current?.Length ?? 0;
            return current is null ? added : [.. current, .. added];
        });
        return at;
    }

    public bool Delete(string key)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        return Run(c => Execute(c, _delete, ("k", key))) > 0;
    }

    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        // Keys are [a-z0-9._/-], all below '~': [prefix, prefix + "~") holds exactly the keys that start with it.
        return Run(c =>
        {
            using var command = Command(c, _list, ("p", prefix), ("end", prefix + "~"));
            using var reader = command.ExecuteReader();
            var keys = new List<string>();
            while (reader.Read()) keys.Add(reader.GetString(0));
            return keys;
        });
    }

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        return Swap(key, expectAbsent ? null : expected.ToArray(), value.ToArray());
    }

    public bool CreateThenCompareAndSet(string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue)
    {
        StoreKeys.Validate(key);
        StoreKeys.Validate(casKey);
        _writer.ThrowIfLost();
        byte[] pack = value.ToArray(), head = casValue.ToArray();
        byte[]? old = expectAbsent ? null : expected.ToArray();
        int tries = 0;
        bool done = Run(c =>
        {
            tries++;
            if (_createThenUpdate is not null)
            {
                using var command = old is null
                    ? Command(c, _createThenInsert!, ("pk", key), ("pv", pack), ("k", casKey), ("v", head))
                    : Command(c, _createThenUpdate, ("pk", key), ("pv", pack), ("k", casKey), ("v", head), ("old", old));
                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
            }
            using var transaction = c.BeginTransaction();
            bool both = Execute(c, transaction, _insert, ("k", key), ("v", pack)) > 0
                && (old is null ? Execute(c, transaction, _insert, ("k", casKey), ("v", head)) : Execute(c, transaction, _update, ("k", casKey), ("v", head), ("old", old))) > 0;
            if (both) transaction.Commit();
            else transaction.Rollback();
            return both;
        });
        // Retried after a lost answer: the head holding the new value means the first try made it.
        return done || (tries > 1 && Read(casKey) is { } now && now.AsSpan().SequenceEqual(head));
    }

    public void Sync()
    {
    }

    public IDisposable AcquireWriterLock() => _writer.Acquire();

    byte[]? ILeaseCell.Read() => Read(LeaseKey);

    bool ILeaseCell.CompareAndSet(byte[]? expected, byte[]? value) =>
        value is null ? Run(c => Execute(c, _deleteIf, ("k", LeaseKey), ("old", expected!))) > 0 : Swap(LeaseKey, expected, value);

    public void Dispose()
    {
        _writer.Release();
        if (_ownsSource) _source.Dispose();
    }

    private byte[]? Read(string key) => Run(c =>
    {
        using var command = Command(c, _get, ("k", key));
        return command.ExecuteScalar() is byte[] bytes ? bytes : null;
    });

    /// <summary>One compare-and-set; when it was retried and reports no change, the value being there already means the lost first try made it.</summary>
    private bool Swap(string key, byte[]? expected, byte[] value)
    {
        int tries = 0;
        bool swapped = Run(c =>
        {
            tries++;
            return (expected is null ? Execute(c, _insert, ("k", key), ("v", value)) : Execute(c, _update, ("k", key), ("v", value), ("old", expected))) > 0;
        });
        return swapped || (tries > 1 && Read(key) is { } now && now.AsSpan().SequenceEqual(value));
    }

    /// <summary>Replaces the value under <paramref name="key"/> with what <paramref name="change"/> makes of it (null: nothing to do), by compare-and-set until it holds.</summary>
    private void Change(string key, Func<byte[]?, byte[]?> change)
    {
        _writer.ThrowIfLost();
        while (true)
        {
            var current = Read(key);
            if (change(current) is not { } next || Swap(key, current, next)) return;
        }
    }

    private T Run<T>(Func<DbConnection, T> call)
    {
        try
        {
            return Retry.Execute(() =>
            {
                using var connection = _source.OpenConnection();
                return call(connection);
            });
        }
        catch (DbException e)
        {
            throw new IOException($"{_description}: {e.Message}", e);
        }
        catch (InvalidOperationException e) when (e.InnerException is DbException or IOException or TimeoutException)
        {
            throw new IOException($"{_description}: {e.Message}", e);
        }
    }

    private static int Execute(DbConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Execute(connection, null, sql, parameters);

    private static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            if (value is byte[]) parameter.DbType = DbType.Binary;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
