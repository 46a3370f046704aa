using System.Globalization;
using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Storage.Redis;
using StackExchange.Redis;

[assembly: StoreBackend(typeof(RedisBackend))]

namespace Hike.Storage.Redis;

/// <summary>
/// <c>{:backend :redis :id #uuid "…" :uri "redis://user:password@127.0.0.1:6379/0"}</c> (konserve-redis's
/// keys; <c>rediss://</c> for TLS): a store as the keys under <c>hike:&lt;id&gt;:</c> of one Redis
/// database, so several databases share a server, a prefix each.
/// </summary>
internal sealed class RedisBackend : IStoreBackend
{
    private static readonly Keyword Uri = Keyword.Intern("uri");
    private static readonly Keyword LeaseMs = Keyword.Intern("writer-lease-ms");

    public string Kind => "redis";

    public IStoreLocation Locate(StoreConfig store)
    {
        foreach (var key in store.Options.Keys)
        {
            if (!key.Equals(Uri) && !key.Equals(LeaseMs)) throw Errors.Config($"Unknown key {Errors.Show(key)} in :store for the :redis backend; it takes :uri and :writer-lease-ms");
        }
        if (store.Id.Length == 0) throw Errors.Config(":store :id is required for the :redis backend: the database's keys are prefixed by it");
        var text = store.Options.TryGetValue(Uri, out var u) ? u as string ?? throw Errors.Config(":store :uri must be a string") : "redis://127.0.0.1:6379";
        if (!System.Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss") || uri.Host.Length == 0)
        {
            throw Errors.Config($":store :uri {Errors.Show(StoreCredentials.WithoutUserInfo(text))} is not a redis:// or rediss:// URI");
        }
        int database = 0;
        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0 && !int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database))
        {
            throw Errors.Config($":store :uri {Errors.Show(StoreCredentials.WithoutUserInfo(text))} names database {Errors.Show(path)}, not a number");
        }
        var options = new ConfigurationOptions
        {
            EndPoints = { { uri.Host, uri.IsDefaultPort ? 6379 : uri.Port } },
            Ssl = uri.Scheme == "rediss",
            AbortOnConnectFail = false,
            ConnectTimeout = 5_000,
            SyncTimeout = 15_000,
            AsyncTimeout = 15_000,
            ConnectRetry = 3,
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            if (parts.Length == 2)
            {
                options.User = parts[0].Length > 0 ? System.Uri.UnescapeDataString(parts[0]) : null;
                options.Password = System.Uri.UnescapeDataString(parts[1]);
            }
            else
            {
                options.Password = System.Uri.UnescapeDataString(parts[0]);
            }
        }
        var lease = WriterLease.DurationOf(store.Options.TryGetValue(LeaseMs, out var ms) ? ms as long? ?? throw Errors.Config($":store :writer-lease-ms must be an integer, got {Errors.Show(ms)}") : null);
        return new RedisLocation(options, database, lease, $"{uri.Host}:{(uri.IsDefaultPort ? 6379 : uri.Port)}/{database}", store.Id);
    }

    private sealed class RedisLocation(ConfigurationOptions options, int database, TimeSpan lease, string server, string id) : IStoreLocation
    {
        public string Key => $"redis://{server}#{id}";

        public string Description => $":redis {Errors.Show(server)} id {Errors.Show(id)}";

        private string Prefix => $"hike:{id}:";

        public bool MayExist()
        {
            using var store = (RedisStore)Open();
            return store.List("").Any();
        }

        public IKeyValueStore Open()
        {
            ConnectionMultiplexer redis;
            try
            {
                redis = ConnectionMultiplexer.Connect(options.Clone());
            }
            catch (RedisException e)
            {
                throw new IOException($"{Description}: {e.Message}", e);
            }
            return new RedisStore(redis, database, Prefix, Description, lease);
        }

        public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
        {
            // Keys are all there is: deleting them left nothing behind.
        }
    }
}
