using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Hike.Storage.S3;

/// <summary>
/// How to reach an S3 bucket: its name, region, endpoint and credentials. A class rather than a record
/// so that nothing prints the credentials; <see cref="ToString"/> names the endpoint and bucket only.
/// </summary>
internal sealed class S3ClientSettings(string bucket, string region, string? endpoint, bool pathStyle, string? accessKey, string? secret)
{
    /// <summary>The bucket.</summary>
    public string Bucket { get; } = bucket;

    /// <summary>The server: the endpoint's host, port and path, or the region's Amazon S3.</summary>
    public string Server { get; } = endpoint is null ? $"s3.{region}.amazonaws.com" : new Uri(endpoint).Authority + new Uri(endpoint).AbsolutePath.TrimEnd('/');

    /// <summary>The credentials' texts, for cutting out of messages.</summary>
    public IReadOnlyList<string> Secrets { get; } = [.. new[] { accessKey, secret }.OfType<string>()];

    /// <summary>
    /// A client for the server. Checksums only where the API requires them, since S3-compatible
    /// servers differ in which they know; the server's own chunked uploads are off per request.
    /// </summary>
    public IAmazonS3 CreateClient()
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = pathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 3,
        };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        return accessKey is not null ? new AmazonS3Client(new BasicAWSCredentials(accessKey, secret), config) : new AmazonS3Client(config);
    }

    public override string ToString() => $"{Server} bucket {Bucket}";
}
