using Amazon.Runtime;

namespace Hike.Storage.S3;

/// <summary>One call to an S3 server, as every <see cref="S3Store"/> and <see cref="S3StoreLocation"/> makes it: bounded in time, its failures <see cref="IOException"/>s naming the store.</summary>
internal static class S3Calls
{
    /// <summary>
    /// Runs <paramref name="call"/> within <see cref="S3StoreSettings.CallTimeout"/>, ending it when
    /// <paramref name="alive"/> is cancelled (the store was disposed). The store's interface is
    /// synchronous and the SDK's calls on .NET are asynchronous only, so the caller's thread waits here.
    /// A failure becomes an <see cref="IOException"/> naming the store, the operation and the key, with
    /// the credentials cut out of the server's message.
    /// </summary>
    public static T Run<T>(S3StoreSettings settings, CancellationToken alive, string operation, string key, Func<CancellationToken, Task<T>> call)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(alive);
        limit.CancelAfter(settings.CallTimeout);
        try
        {
            return call(limit.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException e) when (alive.IsCancellationRequested)
        {
            throw new ObjectDisposedException($"{settings.Description} was closed while {operation} {key}", e);
        }
        catch (OperationCanceledException e)
        {
            throw new IOException($"{settings.Description}: {operation} {key} took longer than {settings.CallTimeout.TotalSeconds:0} s", e);
        }
        catch (AmazonServiceException e)
        {
            throw new IOException($"{settings.Description}: {operation} {key} failed: {Hide(settings, e.Message)} ({(int)e.StatusCode} {e.ErrorCode})", e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException)
        {
            throw new IOException($"{settings.Description}: {operation} {key} failed: {Hide(settings, e.Message)}", e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            // The SDK's way of saying that a response was malformed (an ETag that is no checksum, a bad header).
            throw new IOException($"{settings.Description}: {operation} {key} failed: the server's response could not be read: {Hide(settings, e.Message)}", e);
        }
    }

    private static string Hide(S3StoreSettings settings, string message)
    {
        foreach (var secret in settings.Secrets)
        {
            if (secret.Length > 0) message = message.Replace(secret, "(hidden)", StringComparison.Ordinal);
        }
        return message;
    }
}
