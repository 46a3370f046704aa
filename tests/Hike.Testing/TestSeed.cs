using System.Globalization;

namespace Hike.Testing;

/// <summary>
/// Seeds for randomised tests: taken from <c>HIKE_TEST_SEED</c> when set, so a failing run can be
/// replayed, otherwise fresh; always written to the test output.
/// </summary>
public static class TestSeed
{
    /// <summary>The seed to use, and a line saying how to replay it.</summary>
    public static int Next(Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var env = Environment.GetEnvironmentVariable("HIKE_TEST_SEED");
        int seed = env is not null && int.TryParse(env, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s)
            ? s
            : Random.Shared.Next();
        log($"seed {seed} (replay with HIKE_TEST_SEED={seed})");
        return seed;
    }
}
