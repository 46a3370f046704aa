using Polly;
using Polly.Retry;

namespace Hike.Storage;

/// <summary>
/// How the networked stores ride out a server that is briefly unreachable or restarting: a failed call
/// the store marks transient is tried again, up to <see cref="Attempts"/> times in all, after waits that
/// grow from 100 ms with jitter (about 10 s in all), through Polly. A call that still fails is the
/// store's error, an <see cref="IOException"/> naming the store. Only calls that can be repeated
/// without changing the outcome are retried (reads, puts, deletes, compare-and-sets, which the store
/// checks for its own earlier success); an append is not.
/// </summary>
internal static class NetworkRetry
{
    /// <summary>Tries in all, the first included.</summary>
    public const int Attempts = 7;

    /// <summary>A pipeline retrying the failures <paramref name="isTransient"/> accepts.</summary>
    public static ResiliencePipeline Pipeline(Func<Exception, bool> isTransient) => new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(isTransient),
            MaxRetryAttempts = Attempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(100),
            MaxDelay = TimeSpan.FromSeconds(3),
        })
        .Build();
}
