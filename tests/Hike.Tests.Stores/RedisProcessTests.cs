using Hike.Api;
using Hike.Edn;
using Hike.Tests.Durability;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>The process tests on Redis.</summary>
public sealed class RedisProcessTests(ITestOutputHelper output) : ProcessContract(output)
{
    protected override int KillRounds => 20;

    private protected override (string Place, DatabaseConfig Config, string Name) NewPlace() =>
        BackendProcessTests.Place(Servers.Redis(Guid.NewGuid().ToString()));
}
