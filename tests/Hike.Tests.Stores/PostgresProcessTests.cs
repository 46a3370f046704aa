using Hike.Api;
using Hike.Edn;
using Hike.Tests.Durability;
using Xunit.Abstractions;

namespace Hike.Tests.Stores;

/// <summary>The process tests on PostgreSQL: writers killed mid-commit, a competing writer, a reader following the writer.</summary>
public sealed class PostgresProcessTests(ITestOutputHelper output) : ProcessContract(output)
{
    protected override int KillRounds => 20;

    private protected override (string Place, DatabaseConfig Config, string Name) NewPlace() =>
        BackendProcessTests.Place(Servers.Postgres(Servers.UniqueTable()));
}
