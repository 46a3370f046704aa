using System.Collections.Concurrent;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Hike.Index.Stored;

namespace Hike.Storage.S3;

/// <summary>
/// Where an <c>:s3</c> store lives: the keys under <c>&lt;id&gt;/</c> in a bucket, and with a
/// <c>:head-store</c> also that store, which then holds every key but the packs and the writer lease.
/// Opening creates the bucket when it is missing, and (without a head store) learns once per bucket
/// whether the server honours conditional writes, which decides how writers are fenced.
/// </summary>
internal sealed class S3StoreLocation : IStoreLocation
{
    /// <summary>Whether each server and bucket honours conditional writes, as this process found out.</summary>
    private static readonly ConcurrentDictionary<string, bool> Probed = new(StringComparer.Ordinal);

    private readonly S3ClientSettings _client;
    private readonly string _id;
    private readonly IStoreLocation? _headStore;
    private readonly bool _unfenced;
    private readonly TimeSpan _leaseDuration;

    /// <summary>
    /// The store <paramref name="id"/> in the bucket <paramref name="client"/> reaches, its heads in
    /// <paramref name="headStore"/> when given; <paramref name="unfenced"/> is <c>:fencing :none</c>;
    /// <paramref name="leaseDuration"/> how long its own writer lease lasts without renewal.
    /// </summary>
    public S3StoreLocation(S3ClientSettings client, string id, IStoreLocation? headStore, bool unfenced, TimeSpan leaseDuration)
    {
        _client = client;
        _id = id;
        _headStore = headStore;
        _unfenced = unfenced;
        _leaseDuration = leaseDuration;
    }

    public string Key => $"s3://{_client.Server}/{_client.Bucket}/{_id}";

    public string Description => _headStore is null
        ? $":s3 {Errors.Show($"{_client.Bucket}/{_id}")}"
        : $":s3 {Errors.Show($"{_client.Bucket}/{_id}")} with heads in {_headStore.Description}";

    /// <summary>True when the bucket holds keys under the id, or the head store may hold a database.</summary>
    public bool MayExist()
    {
        using var client = _client.CreateClient();
        return HoldsKeys(client, Settings(S3Fencing.Refused)) is true || (_headStore?.MayExist() ?? false);
    }

    public IKeyValueStore Open() => Open(settings => settings);

    /// <summary>Opens the store with <paramref name="tune"/>'s settings (tests: a small multipart threshold, a short listing page).</summary>
    internal IKeyValueStore Open(Func<S3StoreSettings, S3StoreSettings> tune)
    {
        var client = _client.CreateClient();
        try
        {
            var settings = Settings(S3Fencing.Refused);
            // A bucket another opening created meanwhile is there all the same: it lists (one of another account's does not).
            if (HoldsKeys(client, settings) is null && !CreateBucket(client, settings) && HoldsKeys(client, settings) is null)
            {
                throw new IOException($"{settings.Description}: the bucket {settings.Bucket} exists by its name but cannot be listed");
            }
            if (_headStore is null)
            {
                var fencing = HonoursConditionalWrites(client, settings) ? S3Fencing.ConditionalWrites : _unfenced ? S3Fencing.None : S3Fencing.Refused;
                return new S3Store(client, tune(settings with { Fencing = fencing }));
            }
            // The packs are written only by the holder of the head store's lease, each once under a fresh key.
            var objects = new S3Store(client, tune(settings with { Fencing = S3Fencing.None }));
            try
            {
                return new SplitStore(objects, _headStore.Open(), Packs.Prefix, Description);
            }
            catch
            {
                objects.Dispose();
                throw;
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Removes what the store left besides the database's keys: the released writer lease's empty
    /// object, and with a head store what that store made.
    /// </summary>
    public void Vacate(IKeyValueStore store, IReadOnlyList<string> keyFolders)
    {
        switch (store)
        {
            case SplitStore split:
                _headStore!.Vacate(split.Records, keyFolders);
                break;
            case S3Store s3 when !s3.List("").Any():
                s3.RemoveReleasedLease();
                break;
        }
    }

    /// <summary>
    /// Whether the server honours <c>If-None-Match: *</c> and <c>If-Match</c> on PUT: a probe object
    /// under the store's prefix is created, created again (must fail with 412) and replaced under a
    /// wrong ETag (must fail with 412), then deleted. Asked once per server and bucket in a process.
    /// Credentials that may not write get no answer: the server itself then refuses every write.
    /// </summary>
    internal bool HonoursConditionalWrites(IAmazonS3 client, S3StoreSettings settings)
    {
        var bucket = $"{_client.Server}/{_client.Bucket}";
        if (Probed.TryGetValue(bucket, out var known)) return known;
        var answer = Probe(client, settings);
        if (answer is { } honoured) Probed[bucket] = honoured;
        return answer ?? true;
    }

    /// <summary>The probe itself (see <see cref="HonoursConditionalWrites"/>): null when the credentials may not write.</summary>
    internal static bool? Probe(IAmazonS3 client, S3StoreSettings settings)
    {
        // '~' is no key character: the probe can never be one of the store's keys, and List never shows it.
        var key = $"{settings.Id}/probe~{Guid.NewGuid():N}";
        try
        {
            var created = Put(client, settings, key, request => request.IfNoneMatch = "*");
            if (created == HttpStatusCode.Forbidden) return null;
            if (created != HttpStatusCode.OK) return false;
            return Put(client, settings, key, request => request.IfNoneMatch = "*") == HttpStatusCode.PreconditionFailed
                && Put(client, settings, key, request => request.IfMatch = "\"00000000000000000000000000000000\"") == HttpStatusCode.PreconditionFailed;
        }
        finally
        {
            try
            {
                S3Calls.Run(settings, CancellationToken.None, "deleting", key, token => client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = settings.Bucket, Key = key }, token));
            }
            catch (IOException)
            {
                // Best effort: a probe left behind is no key of the store.
            }
        }
    }

    /// <summary>A conditional PUT of the probe: OK, or the status the server refused it with when that says something about conditions or rights.</summary>
    private static HttpStatusCode Put(IAmazonS3 client, S3StoreSettings settings, string key, Action<PutObjectRequest> condition)
    {
        var request = new PutObjectRequest { BucketName = settings.Bucket, Key = key, InputStream = new MemoryStream([1]), UseChunkEncoding = false };
        condition(request);
        return S3Calls.Run(settings, CancellationToken.None, "probing conditional writes with", key, async token =>
        {
            try
            {
                await client.PutObjectAsync(request, token).ConfigureAwait(false);
                return HttpStatusCode.OK;
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                return HttpStatusCode.PreconditionFailed;
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotImplemented or HttpStatusCode.BadRequest)
            {
                // Forbidden: these credentials may not write. Not implemented, bad request: the server knows no conditions.
                return e.StatusCode;
            }
        });
    }

    private S3StoreSettings Settings(S3Fencing fencing) => new()
    {
        Bucket = _client.Bucket,
        Id = _id,
        Description = Description,
        Key = Key,
        Fencing = fencing,
        LeaseDuration = _leaseDuration,
        Secrets = _client.Secrets,
    };

    /// <summary>Whether the bucket holds a key under the id; null when there is no bucket.</summary>
    private static bool? HoldsKeys(IAmazonS3 client, S3StoreSettings settings) =>
        S3Calls.Run(settings, CancellationToken.None, "listing", "the store", async token =>
        {
            try
            {
                var page = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = settings.Bucket, Prefix = settings.Id + "/", MaxKeys = 1 }, token).ConfigureAwait(false);
                return (bool?)(page.S3Objects is { Count: > 0 });
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchBucket")
            {
                return null;
            }
        });

    /// <summary>
    /// Creates the bucket; true when it is this account's now. False when the name is taken: by another
    /// account, or by this one meanwhile on a server that says so the same way (s3rver answers
    /// <c>BucketAlreadyExists</c> to its own buckets, where S3 answers <c>BucketAlreadyOwnedByYou</c>).
    /// </summary>
    private static bool CreateBucket(IAmazonS3 client, S3StoreSettings settings) =>
        S3Calls.Run(settings, CancellationToken.None, "creating the bucket for", "the store", async token =>
        {
            try
            {
                await client.PutBucketAsync(new PutBucketRequest { BucketName = settings.Bucket, UseClientRegion = true }, token).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou")
            {
                // Created meanwhile by another opening.
                return true;
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyExists")
            {
                return false;
            }
        });
}
