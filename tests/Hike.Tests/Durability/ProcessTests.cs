using Hike.Api;
using Hike.Testing;
using Xunit.Abstractions;

namespace Hike.Tests.Durability;

/// <summary>The process tests on the file store: a folder per test.</summary>
public sealed class ProcessTests(ITestOutputHelper output) : ProcessContract(output), IDisposable
{
    private readonly List<TempDirectory> _dirs = [];

    protected override int KillRounds => 50;

    private protected override (string Place, DatabaseConfig Config, string Name) NewPlace()
    {
        var dir = new TempDirectory();
        _dirs.Add(dir);
        Directory.Delete(dir.Path);
        return (dir.Path, new DatabaseConfig { Store = StoreConfig.File(dir.Path) }, dir.Path);
    }

    public void Dispose()
    {
        foreach (var dir in _dirs) dir.Dispose();
    }
}
