using System.Collections.Concurrent;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Hike.Storage.S3;

/// <summary>
/// A store in an S3 bucket: each key an object <c>&lt;id&gt;/&lt;key&gt;</c>, so several databases share
/// one bucket, a prefix each. Objects are replaced whole (<see cref="AppendsInPlace"/> is false: the
/// writer puts each commit's pack under a fresh key), and a PUT is durable when it returns, so
/// <see cref="Sync"/> has nothing to do. Compare-and-set and the writer lease (a
/// <see cref="WriterLease"/> in the reserved object <c>&lt;id&gt;/writer.lock</c>, which
/// <see cref="List"/> never shows) depend on <see cref="S3Fencing"/>. Every call has a time limit and
/// ends when the store is disposed; the server's failures become <see cref="IOException"/>s naming the
/// bucket and prefix, never the credentials. Thread-safe.
/// </summary>
internal sealed class S3Store : IKeyValueStore, ILeaseCell
{
    private const string LeaseKey = StoreKeys.LockFileName;

    /// <summary>
    /// How many times a whole value is fetched before a body that does not arrive whole is a failure: a
    /// server that writes in place and is overwriting a branch head many times a second (a busy writer)
    /// can tear several reads in a row.
    /// </summary>
    private const int BodyAttempts = 20;

    /// <summary>The compare-and-set gates of <see cref="S3Fencing.None"/> stores, one per store in this process.</summary>
    private static readonly ConcurrentDictionary<string, Lock> Gates = new(StringComparer.Ordinal);

    private readonly S3StoreSettings _settings;
    private readonly string _root;
    private readonly Lock? _gate;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly CancellationToken _alive;
    private readonly LeaseHolder _writer;
    private int _disposed;

    /// <summary>The store <paramref name="settings"/> describe, over <paramref name="client"/>, which it then owns.</summary>
    public S3Store(IAmazonS3 client, S3StoreSettings settings)
    {
        Client = client;
        _settings = settings;
        _root = settings.Id + "/";
        _gate = settings.Fencing == S3Fencing.None ? Gates.GetOrAdd(settings.Key, _ => new Lock()) : null;
        _alive = _lifetime.Token;
        _writer = new LeaseHolder(this, settings.Description, settings.LeaseDuration);
    }

    /// <summary>The client the store calls the server with.</summary>
    internal IAmazonS3 Client { get; }

    public bool AppendsInPlace => false;

    public byte[]? Get(string key)
    {
        StoreKeys.Validate(key);
        return Run("reading", key, token => ReadAsync(_root + key, token))?.Bytes;
    }

    /// <summary>One ranged GET; a range past the value's end reads what there is (nothing past its end).</summary>
    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length == 0) return Size(key) is null ? null : [];
        return Run("reading", key, async token =>
        {
            var request = new GetObjectRequest { BucketName = _settings.Bucket, Key = _root + key, ByteRange = new ByteRange(offset, offset + length - 1) };
            try
            {
                using var response = await Client.GetObjectAsync(request, token).ConfigureAwait(false);
                return await ReadAllAsync(response, token).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
            {
                return [];
            }
        });
    }

    /// <summary>A HEAD: the object's length, or null when there is none.</summary>
    public long? Size(string key)
    {
        StoreKeys.Validate(key);
        return Run("reading", key, async token =>
        {
            try
            {
                var metadata = await Client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _settings.Bucket, Key = _root + key }, token).ConfigureAwait(false);
                return (long?)metadata.ContentLength;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });
    }

    /// <summary>Reads the value, zeroes the ranges and writes it back whole: O(the value's length). Only the writer may call it.</summary>
    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        StoreKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(ranges);
        ThrowUnlessWritable();
        if (Get(key) is not { } value) return;
        foreach (var (offset, length) in ranges)
        {
            if (offset < value.Length) value.AsSpan((int)offset, (int)Math.Min(length, value.Length - offset)).Clear();
        }
        Write(key, value);
    }

    /// <summary>One PUT, or a multipart upload for a value over <see cref="S3StoreSettings.MultipartThreshold"/>.</summary>
    public void Put(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        ThrowUnlessWritable();
        Write(key, value.ToArray());
    }

    /// <summary>
    /// Creates the key, or reads its value, joins <paramref name="value"/> to it and writes it back:
    /// O(the value's length), and correct only for the one writer (the holder of the writer lock), as
    /// every append of the engine is. The engine appends only to fresh pack keys here, so it creates.
    /// </summary>
    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        ThrowUnlessWritable();
        var current = Get(key);
        Write(key, current is null ? value.ToArray() : [.. current, .. value]);
        return current?.Length ?? 0;
    }

    /// <summary>A HEAD to learn whether the key exists, then a DELETE.</summary>
    public bool Delete(string key)
    {
        StoreKeys.Validate(key);
        ThrowUnlessWritable();
        if (Size(key) is null) return false;
        Run("deleting", key, token => Client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _settings.Bucket, Key = _root + key }, token));
        return true;
    }

    /// <summary>ListObjectsV2 under <c>&lt;id&gt;/&lt;prefix&gt;</c>, page by page; the lease and anything that is no valid key are left out.</summary>
    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        var keys = new List<string>();
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request { BucketName = _settings.Bucket, Prefix = _root + prefix, MaxKeys = _settings.ListPageSize, ContinuationToken = continuation };
            var page = Run("listing", prefix, token => Client.ListObjectsV2Async(request, token));
            foreach (var entry in page.S3Objects ?? [])
            {
                var key = entry.Key[_root.Length..];
                if (StoreKeys.IsValid(key)) keys.Add(key);
            }
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
        return keys;
    }

    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        ThrowUnlessWritable();
        return Swap(key, expectAbsent ? null : expected.ToArray(), value.ToArray(), emptyIsAbsent: false);
    }

    /// <summary>Nothing to do: a PUT is durable when it returns.</summary>
    public void Sync()
    {
    }

    public IDisposable AcquireWriterLock()
    {
        if (_settings.Fencing == S3Fencing.Refused) throw Errors.StorageUnfenced(_settings.Description);
        return _writer.Acquire();
    }

    /// <summary>The lease record; an empty object is a released lease.</summary>
    byte[]? ILeaseCell.Read() => Run("reading", LeaseKey, token => ReadAsync(_root + LeaseKey, token)) is { Bytes.Length: > 0 } lease ? lease.Bytes : null;

    /// <summary>
    /// Replaces the lease record; releasing it (<paramref name="value"/> null) leaves an empty object,
    /// since a conditional replace is atomic where a read-then-delete is not.
    /// </summary>
    bool ILeaseCell.CompareAndSet(byte[]? expected, byte[]? value) => Swap(LeaseKey, expected, value ?? [], emptyIsAbsent: true);

    /// <summary>Removes the released lease's empty object, when there is one.</summary>
    internal void RemoveReleasedLease()
    {
        if (_settings.Fencing == S3Fencing.Refused) return;
        if (Run("reading", LeaseKey, token => ReadAsync(_root + LeaseKey, token)) is not { Bytes.Length: 0 } released) return;
        var request = new DeleteObjectRequest { BucketName = _settings.Bucket, Key = _root + LeaseKey };
        // Only the released record: a writer that took the lease meanwhile keeps it.
        if (_settings.Fencing == S3Fencing.ConditionalWrites) request.IfMatch = released.ETag;
        try
        {
            Run("deleting", LeaseKey, token => Client.DeleteObjectAsync(request, token));
        }
        catch (IOException)
        {
            // Taken again meanwhile (412), a server without conditional deletes, or unreachable: the empty record stays, harmless.
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _writer.Release();
        _lifetime.Cancel();
        _lifetime.Dispose();
        Client.Dispose();
    }

    /// <summary>
    /// Replaces the value of <paramref name="key"/> with <paramref name="value"/> when it is
    /// <paramref name="expected"/> (null: absent, or with <paramref name="emptyIsAbsent"/> empty too).
    /// </summary>
    private bool Swap(string key, byte[]? expected, byte[] value, bool emptyIsAbsent)
    {
        if (_gate is null) return ConditionalSwap(key, expected, value, emptyIsAbsent);
        lock (_gate)
        {
            var current = Run("reading", key, token => ReadAsync(_root + key, token));
            if (!Matches(current, expected, emptyIsAbsent)) return false;
            Write(key, value);
            return true;
        }
    }

    /// <summary>Reads the value and its ETag, compares, and writes only if the object is still that one (412: it is not).</summary>
    private bool ConditionalSwap(string key, byte[]? expected, byte[] value, bool emptyIsAbsent)
    {
        var current = Run("reading", key, token => ReadAsync(_root + key, token));
        if (!Matches(current, expected, emptyIsAbsent)) return false;
        var request = PutRequest(key, value);
        if (current is { } found) request.IfMatch = found.ETag;
        else request.IfNoneMatch = "*";
        return Run("writing", key, async token =>
        {
            try
            {
                await Client.PutObjectAsync(request, token).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
            {
                // 409: another conditional write to the key was under way; it changed the value we compared.
                return false;
            }
        });
    }

    private static bool Matches((byte[] Bytes, string ETag)? current, byte[]? expected, bool emptyIsAbsent)
    {
        bool absent = current is null || (emptyIsAbsent && current.Value.Bytes.Length == 0);
        return expected is null ? absent : !absent && current!.Value.Bytes.AsSpan().SequenceEqual(expected);
    }

    private void Write(string key, byte[] value)
    {
        if (value.Length > _settings.MultipartThreshold) WriteInParts(key, value);
        else Run("writing", key, token => Client.PutObjectAsync(PutRequest(key, value), token));
    }

    private void WriteInParts(string key, byte[] value)
    {
        var upload = Run("writing", key, token => Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _settings.Bucket, Key = _root + key }, token));
        try
        {
            var parts = new List<PartETag>();
            int partBytes = (int)Math.Min(_settings.MultipartThreshold, int.MaxValue);
            for (int number = 1, at = 0; at < value.Length; number++, at += partBytes)
            {
                var request = new UploadPartRequest
                {
                    BucketName = _settings.Bucket,
                    Key = _root + key,
                    UploadId = upload.UploadId,
                    PartNumber = number,
                    PartSize = Math.Min(partBytes, value.Length - at),
                    InputStream = new MemoryStream(value, at, Math.Min(partBytes, value.Length - at), writable: false),
                    // Else the SDK sends aws-chunked frames, which some S3 servers store as the data.
                    UseChunkEncoding = false,
                };
                var part = Run("writing", key, token => Client.UploadPartAsync(request, token));
                parts.Add(new PartETag(number, part.ETag));
            }
            Run("writing", key, token => Client.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = _settings.Bucket, Key = _root + key, UploadId = upload.UploadId, PartETags = parts }, token));
        }
        catch
        {
            try
            {
                Run("writing", key, token => Client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _settings.Bucket, Key = _root + key, UploadId = upload.UploadId }, token));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Best effort: an upload never completed stores nothing under the key.
            }
            throw;
        }
    }

    private PutObjectRequest PutRequest(string key, byte[] value) => new()
    {
        BucketName = _settings.Bucket,
        Key = _root + key,
        InputStream = new MemoryStream(value, writable: false),
        // Else the SDK sends aws-chunked frames, which some S3 servers store as the data.
        UseChunkEncoding = false,
    };

    /// <summary>
    /// The object's value and ETag, or null when there is none. The body arrives after the SDK's own
    /// retries are over, so a response that does not hold together — a body cut short, or one that
    /// fails the SDK's MD5 check against its ETag, as when a server that writes objects in place (such
    /// as s3rver) is read while it writes — is fetched again: readers get a whole value or a failure.
    /// </summary>
    private async Task<(byte[] Bytes, string ETag)?> ReadAsync(string objectKey, CancellationToken token)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                using var response = await Client.GetObjectAsync(new GetObjectRequest { BucketName = _settings.Bucket, Key = objectKey }, token).ConfigureAwait(false);
                return (await ReadAllAsync(response, token).ConfigureAwait(false), response.ETag);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
            catch (Exception e) when (attempt < BodyAttempts && IsInconsistentResponse(e))
            {
                await Task.Delay(Math.Min(10 * attempt, 100), token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A response the SDK found inconsistent: a body cut short or failing its checksum, or a malformed
    /// ETag (which the SDK reports as an argument error while it checks the body).
    /// </summary>
    private static bool IsInconsistentResponse(Exception e) =>
        e is IOException or ArgumentException or FormatException || (e is AmazonClientException && e is not AmazonServiceException);

    private static async Task<byte[]> ReadAllAsync(GetObjectResponse response, CancellationToken token)
    {
        var bytes = new byte[response.ContentLength];
        await response.ResponseStream.ReadExactlyAsync(bytes, token).ConfigureAwait(false);
        return bytes;
    }

    private void ThrowUnlessWritable()
    {
        if (_settings.Fencing == S3Fencing.Refused) throw Errors.StorageUnfenced(_settings.Description);
        _writer.ThrowIfLost();
    }

    /// <summary>Runs one call to the server within the store's time limit and lifetime.</summary>
    private T Run<T>(string operation, string key, Func<CancellationToken, Task<T>> call)
    {
        ObjectDisposedException.ThrowIf(_alive.IsCancellationRequested, this);
        return S3Calls.Run(_settings, _alive, operation, key, call);
    }
}
