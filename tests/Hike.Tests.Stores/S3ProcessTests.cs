using Hike.Api;
using Hike.Tests.Durability;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>The process tests on S3, its heads in PostgreSQL (s3rver cannot compare-and-set).</summary>
public sealed class S3ProcessTests : ProcessContract
{
    public S3ProcessTests(ITestOutputHelper output)
        : base(output)
    {
        // A config passed to a child process is printed, which leaves its credentials out: the child
        // finds them where the AWS SDK looks by default. s3rver takes any.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
    }

    protected override int KillRounds => 20;

    private protected override (string Place, DatabaseConfig Config, string Name) NewPlace() =>
        BackendProcessTests.Place(Servers.S3WithPostgresHeads(Guid.NewGuid().ToString()));
}
