using Hike.Storage;
using StackExchange.Redis;

namespace Hike.Storage.Redis;

/// <summary>
/// A store as the keys under one prefix of a Redis server (<c>hike:&lt;store id&gt;:</c>): a Redis string
/// per key. Values are replaced whole (<see cref="AppendsInPlace"/> is false, so each commit's pack is a
/// key of its own); a compare-and-set is one Lua script, so it is atomic on the server, and so is a
/// commit's pack with its head (one round trip); a ranged read
/// is one <c>GETRANGE</c>. A write is acknowledged when the server has it: it is durable as the
/// server's persistence makes it (<c>appendonly yes</c> with <c>appendfsync always</c> for no loss).
/// The writer lock is a <see cref="WriterLease"/> under the reserved key <c>writer.lock</c>, which
/// <see cref="List"/> never shows. Failures of the server become <see cref="IOException"/>s naming it
/// (never its password); transient ones are first retried (<see cref="NetworkRetry"/>), except an
/// append, which could then be made twice. Thread-safe.
/// </summary>
internal sealed class RedisStore : IKeyValueStore, ILeaseCell
{
    // GETRANGE of a missing key is "", which must read as missing.
    private static readonly LuaScript GetRangeScript = LuaScript.Prepare(
        "if redis.call('EXISTS', @key) == 0 then return false end return redis.call('GETRANGE', @key, @from, @to)");

    private static readonly LuaScript SizeScript = LuaScript.Prepare(
        "if redis.call('EXISTS', @key) == 0 then return false end return redis.call('STRLEN', @key)");

    private static readonly LuaScript TrimScript = LuaScript.Prepare(
        "local n = redis.call('STRLEN', @key) if tonumber(@offset) < n then redis.call('SETRANGE', @key, @offset, string.rep('\\0', math.min(tonumber(@length), n - tonumber(@offset)))) end return n");

    private static readonly LuaScript SwapScript = LuaScript.Prepare(
        "local v = redis.call('GET', @key) " +
        "if (@absent == '1' and v == false) or (@absent == '0' and v == @expected) then " +
        "if @remove == '1' then redis.call('DEL', @key) else redis.call('SET', @key, @value) end return 1 end return 0");

    // A commit's pack and head, atomically: the pack key is created only when absent, the head moved only from what was expected.
    private static readonly LuaScript CreateThenSwapScript = LuaScript.Prepare(
        "if redis.call('EXISTS', @key) == 1 then return 0 end local v = redis.call('GET', @casKey) " +
        "if (@absent == '1' and v == false) or (@absent == '0' and v == @expected) then " +
        "redis.call('SET', @key, @value) redis.call('SET', @casKey, @casValue) return 1 end return 0");

    private static readonly Polly.ResiliencePipeline Retry = NetworkRetry.Pipeline(e => e is RedisConnectionException or RedisTimeoutException or TimeoutException);

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly string _description;
    private readonly LeaseHolder _writer;

    public RedisStore(ConnectionMultiplexer redis, int database, string prefix, string description, TimeSpan? leaseDuration = null)
    {
        _redis = redis;
        _db = redis.GetDatabase(database);
        _prefix = prefix;
        _description = description;
        _writer = new LeaseHolder(this, description, leaseDuration ?? WriterLease.DefaultDuration);
    }

    public bool AppendsInPlace => false;

    public byte[]? Get(string key)
    {
        StoreKeys.Validate(key);
        return Run(() => (byte[]?)_db.StringGet(Key(key)));
    }

    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return Run(() => _db.KeyExists(Key(key))) ? [] : null;
        var result = Run(() => _db.ScriptEvaluate(GetRangeScript, new { key = Key(key), from = offset, to = offset + length - 1 }));
        return result.IsNull ? null : (byte[])result! ?? [];
    }

    public long? Size(string key)
    {
        StoreKeys.Validate(key);
        var result = Run(() => _db.ScriptEvaluate(SizeScript, new { key = Key(key) }));
        return result.IsNull ? null : (long)result;
    }

    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        StoreKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(ranges);
        _writer.ThrowIfLost();
        foreach (var (offset, length) in ranges)
        {
            Run(() => _db.ScriptEvaluate(TrimScript, new { key = Key(key), offset, length }));
        }
    }

    public void Put(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        var bytes = value.ToArray();
        Run(() => _db.StringSet(Key(key), bytes));
    }

    /// <summary><c>APPEND</c>: creates the key or adds to it on the server, atomically.</summary>
    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        var bytes = value.ToArray();
        return Run(() => _db.StringAppend(Key(key), bytes), retry: false) - bytes.Length;
    }

    public bool Delete(string key)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        return Run(() => _db.KeyDelete(Key(key)));
    }

    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        // Keys are [a-z0-9._/-] and store ids hex and '-': nothing a glob pattern treats specially.
        return Run(() =>
        {
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var endpoint in _redis.GetEndPoints())
            {
                var server = _redis.GetServer(endpoint);
                if (server.IsReplica) continue;
                foreach (var found in server.Keys(_db.Database, _prefix + prefix + "*", pageSize: 1000))
                {
                    var key = ((string)found!)[_prefix.Length..];
                    if (key != StoreKeys.LockFileName) keys.Add(key);
                }
            }
            return keys.ToList();
        });
    }

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        _writer.ThrowIfLost();
        return Swap(key, expectAbsent ? null : expected.ToArray(), value.ToArray());
    }

    /// <summary>Both writes in one script: one round trip, all or nothing.</summary>
    public bool CreateThenCompareAndSet(string key, ReadOnlySpan<byte> value, string casKey, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> casValue)
    {
        StoreKeys.Validate(key);
        StoreKeys.Validate(casKey);
        _writer.ThrowIfLost();
        var arguments = new
        {
            key = Key(key),
            value = value.ToArray(),
            casKey = Key(casKey),
            absent = expectAbsent ? "1" : "0",
            expected = expectAbsent ? [] : expected.ToArray(),
            casValue = casValue.ToArray(),
        };
        int tries = 0;
        var result = Run(() =>
        {
            tries++;
            return _db.ScriptEvaluate(CreateThenSwapScript, arguments);
        });
        if ((long)result == 1) return true;
        // Retried after a lost answer: the head holding the new value means the first try made it.
        return tries > 1 && Run(() => (byte[]?)_db.StringGet(arguments.casKey)) is { } now && now.AsSpan().SequenceEqual(arguments.casValue);
    }

    public void Sync()
    {
    }

    public IDisposable AcquireWriterLock() => _writer.Acquire();

    byte[]? ILeaseCell.Read() => Run(() => (byte[]?)_db.StringGet(Key(StoreKeys.LockFileName)));

    bool ILeaseCell.CompareAndSet(byte[]? expected, byte[]? value) => Swap(StoreKeys.LockFileName, expected, value);

    public void Dispose()
    {
        _writer.Release();
        _redis.Dispose();
    }

    private RedisKey Key(string key) => _prefix + key;

    /// <summary>One compare-and-set; when it was retried and reports no change, the outcome being there already means the lost first try made it.</summary>
    private bool Swap(string key, byte[]? expected, byte[]? value)
    {
        int tries = 0;
        var result = Run(() =>
        {
            tries++;
            return _db.ScriptEvaluate(SwapScript, new
            {
                key = Key(key),
                absent = expected is null ? "1" : "0",
                expected = expected ?? [],
                remove = value is null ? "1" : "0",
                value = value ?? [],
            });
        });
        if ((long)result == 1) return true;
        if (tries <= 1) return false;
        var now = Run(() => (byte[]?)_db.StringGet(Key(key)));
        return value is null ? now is null : now is not null && now.AsSpan().SequenceEqual(value);
    }

    private T Run<T>(Func<T> call, bool retry = true)
    {
        // A command to a server it is not connected to would wait out the whole timeout: it fails at once instead, and the retries wait.
        T Connected() => _redis.IsConnected ? call() : throw new TimeoutException($"no connection to the server of {_description}");

        try
        {
            return retry ? Retry.Execute(Connected) : Connected();
        }
        catch (RedisException e)
        {
            throw new IOException($"{_description}: {e.Message}", e);
        }
        catch (TimeoutException e)
        {
            throw new IOException($"{_description}: {e.Message}", e);
        }
    }
}
