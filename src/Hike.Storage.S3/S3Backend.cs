using System.Globalization;
using Hike.Api;
using Hike.Edn;
using Hike.Storage;
using Hike.Storage.S3;

[assembly: StoreBackend(typeof(S3Backend))]

namespace Hike.Storage.S3;

/// <summary>
/// <c>{:backend :s3 :id #uuid "…" :bucket "b" :region "us-east-1" :access-key "…" :secret "…"
/// :endpoint-override {:protocol :http :hostname "127.0.0.1" :port 4568} :path-style-access? true}</c>:
/// a store under the prefix <c>:id</c> of an S3 bucket (konserve-s3's keys), on Amazon S3 or any
/// server that speaks its API. Two keys are Hike's own: <c>:head-store</c>, a store that can
/// compare-and-set (<c>{:backend :jdbc …}</c> or <c>{:backend :redis …}</c>) to keep everything but the
/// packs in, and <c>:fencing :none</c>, to write to a server without conditional writes unprotected.
/// </summary>
internal sealed class S3Backend : IStoreBackend
{
    /// <summary>konserve-s3's bucket when <c>:bucket</c> is not given.</summary>
    public const string DefaultBucket = "konserve";

    /// <summary>The region when <c>:region</c> is not given.</summary>
    public const string DefaultRegion = "us-east-1";

    private static readonly string[] Keys =
        ["bucket", "region", "access-key", "secret", "endpoint-override", "path-style-access?", "x-ray?", "head-store", "fencing", "writer-lease-ms"];

    private static readonly Keyword LeaseMs = Keyword.Intern("writer-lease-ms");

    public string Kind => "s3";

    public IStoreLocation Locate(StoreConfig store)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in store.Options)
        {
            var name = ((Keyword)key).FullName;
            if (!Keys.Contains(name)) throw Errors.Config($"Unknown key {Errors.Show(key)} in :store for the :s3 backend; it takes :id, {string.Join(", ", Keys.Select(k => ":" + k))}");
            values[name] = value;
        }
        if (store.Path is not null) throw Errors.Config(":store :path is not a key of the :s3 backend");
        var id = store.Id.Length > 0 ? store.Id : throw Errors.Config(":store :id is required for the :s3 backend: the database's objects are the keys under it in the bucket");
        if (!IsPlainName(id)) throw Errors.Config($":store :id {Errors.Show(id)} must be a plain name (letters, digits, '.', '_' and '-'), as a UUID is: it is the prefix of the database's keys");
        var bucket = Text(values, "bucket") ?? DefaultBucket;
        var region = Text(values, "region") ?? DefaultRegion;
        var accessKey = Text(values, "access-key");
        var secret = Text(values, "secret");
        if ((accessKey is null) != (secret is null)) throw Errors.Config(":store needs both :access-key and :secret for the :s3 backend, or neither (then the AWS SDK's default credentials, e.g. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        // DATAHIKE: konserve-s3's :x-ray? turns on Amazon X-Ray tracing of its calls; Hike has no X-Ray, so it is checked and ignored.
        _ = Flag(values, "x-ray?");
        var fencing = values.TryGetValue("fencing", out var f)
            ? f is Keyword { FullName: "none" } ? true : throw Errors.Config($":store :fencing must be :none (to write without protection from a second writer), got {Errors.Show(f)}")
            : false;
        long? leaseMs = values.TryGetValue("writer-lease-ms", out var ms) ? ms as long? ?? throw Errors.Config($":store :writer-lease-ms must be an integer, got {Errors.Show(ms)}") : null;
        var client = new S3ClientSettings(bucket, region, Endpoint(values), Flag(values, "path-style-access?"), accessKey, secret);
        return new S3StoreLocation(client, id, HeadStore(values, leaseMs), fencing, WriterLease.DurationOf(leaseMs));
    }

    /// <summary>
    /// The <c>:head-store</c>'s location: a durable store of another backend. It holds the writer lease,
    /// so the store's <c>:writer-lease-ms</c> (<paramref name="leaseMs"/>) is its own unless it names one.
    /// </summary>
    private static IStoreLocation? HeadStore(Dictionary<string, object?> values, long? leaseMs)
    {
        if (!values.TryGetValue("head-store", out var value)) return null;
        var config = StoreConfig.FromEdn(value);
        if (leaseMs is { } lease && !config.Options.ContainsKey(LeaseMs)) config = config with { Options = config.Options.With(LeaseMs, lease) };
        if (config.Backend == StoreConfig.MemBackend || config.Backend.FullName == "s3")
        {
            throw Errors.Config($":store :head-store must be a durable store that can compare-and-set ({{:backend :jdbc …}} or {{:backend :redis …}}), got :{config.Backend.FullName}");
        }
        return StoreBackends.Locate(config);
    }

    /// <summary>The <c>:endpoint-override</c>'s URL: konserve-s3's map <c>{:protocol :http :hostname "h" :port 4568 :path "/p"}</c>, or a URL.</summary>
    private static string? Endpoint(Dictionary<string, object?> values)
    {
        if (!values.TryGetValue("endpoint-override", out var value)) return null;
        if (value is string url)
        {
            return Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.UserInfo.Length == 0
                ? url
                : throw Errors.Config($":store :endpoint-override {Errors.Show(StoreCredentials.WithoutUserInfo(url))} must be an http or https URL without user info");
        }
        if (value is not EdnMap map) throw Errors.Config($":store :endpoint-override must be a map {{:protocol :https :hostname \"…\" :port 443}} or a URL, got {Errors.Show(value)}");
        string? protocol = null, hostname = null, path = null;
        long? port = null;
        foreach (var (key, v) in map)
        {
            switch ((key as Keyword)?.FullName)
            {
                case "protocol":
                    protocol = (v as Keyword)?.FullName ?? v as string;
                    if (protocol is not ("http" or "https")) throw Errors.Config($":store :endpoint-override :protocol must be :http or :https, got {Errors.Show(v)}");
                    break;
                case "hostname":
                    hostname = v as string is { Length: > 0 } h && Uri.CheckHostName(h) != UriHostNameType.Unknown ? h : throw Errors.Config($":store :endpoint-override :hostname must name a host, got {Errors.Show(v)}");
                    break;
                case "port":
                    port = v is long n and > 0 and <= 65535 ? n : throw Errors.Config($":store :endpoint-override :port must be a port number, got {Errors.Show(v)}");
                    break;
                case "path":
                    path = v as string is { } p && (p.Length == 0 || p[0] == '/') ? p : throw Errors.Config($":store :endpoint-override :path must be a string starting with /, got {Errors.Show(v)}");
                    break;
                default:
                    throw Errors.Config($"Unknown key {Errors.Show(key)} in :store :endpoint-override; it takes :protocol, :hostname, :port and :path");
            }
        }
        if (hostname is null) throw Errors.Config(":store :endpoint-override needs a :hostname");
        var portPart = port is { } number ? ":" + number.ToString(CultureInfo.InvariantCulture) : "";
        return $"{protocol ?? "https"}://{hostname}{portPart}{path}";
    }

    private static string? Text(Dictionary<string, object?> values, string key) => values.TryGetValue(key, out var value)
        ? value as string ?? throw Errors.Config($":store :{key} must be a string, got {(StoreCredentials.IsCredential(Keyword.Intern(key)) ? "a value of another type" : Errors.Show(value))}")
        : null;

    private static bool Flag(Dictionary<string, object?> values, string key) => values.TryGetValue(key, out var value)
        && (value as bool? ?? throw Errors.Config($":store :{key} must be true or false, got {Errors.Show(value)}"));

    private static bool IsPlainName(string id) =>
        id is not ("." or "..") && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
