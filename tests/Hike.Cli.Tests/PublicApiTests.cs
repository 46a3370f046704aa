namespace Hike.Cli.Tests;

/// <summary>
/// The <c>hike</c> program is used from the command line, never as a library: it exports no types, so
/// it has no public API to review (the engine's is in tests/Hike.Tests/ApiSurface/Hike.approved.txt).
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_cli_assembly_exports_no_types()
    {
        var exported = typeof(CliApp).Assembly.GetExportedTypes().Select(type => type.FullName);

        Assert.Empty(exported);
    }
}
