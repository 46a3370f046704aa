using System.Diagnostics;
using System.Text.RegularExpressions;
using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>
/// Hike as a user gets it: the package packed into a local feed, referenced by a new console project,
/// and README's C# tour run in it as written.
/// </summary>
public sealed partial class PackageTests
{
    [Fact]
    public void The_readme_tour_runs_as_written_in_a_new_project_referencing_the_packed_package()
    {
        using var dir = new TempDirectory();
        string feed = Path.Combine(dir.Path, "feed"), project = Path.Combine(dir.Path, "tour"), temp = Path.Combine(dir.Path, "tmp");
        Directory.CreateDirectory(project);
        Directory.CreateDirectory(temp);
        Dotnet(Samples.Repo, null, "pack", Path.Combine(Samples.Repo, "src", "Hike"), "-c", "Release", "-o", feed, "-p:IncludeSymbols=false");
        string version = VersionPrefix().Match(File.ReadAllText(Path.Combine(Samples.Repo, "Directory.Build.props"))).Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(feed, $"Hike.{version}.nupkg")), $"no Hike.{version}.nupkg in {feed}");
        AssertPackageMetadata(Path.Combine(feed, $"Hike.{version}.nupkg"), "Hike");

        File.WriteAllText(Path.Combine(project, "tour.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Hike" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        // The local feed first; the machine's packages folder for Hike's own dependencies; its usual sources after.
        string machinePackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="hike-local" value="{feed}" />
                <add key="machine" value="{machinePackages}" />
              </packageSources>
            </configuration>
            """);
        var tour = Samples.ReadmeBlock("## A short tour", "```csharp");
        File.WriteAllText(Path.Combine(project, "Program.cs"), string.Join('\n', tour.Skip(1)));

        // Its own packages folder, so that the Hike just packed is the one restored, not one cached earlier.
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(dir.Path, "packages"), ["TMPDIR"] = temp };
        var output = Dotnet(project, environment, "run", "-c", "Release").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var expected = Expected(tour);
        Assert.True(expected.Count >= 6, string.Join('\n', tour));
        Assert.Equal(expected, output.TakeLast(expected.Count));
    }

    /// <summary>The license, the readme and the source commit a package carries (its URL, once the repository has a remote).</summary>
    private static void AssertPackageMetadata(string package, string id)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        Assert.NotNull(zip.GetEntry("README.md"));
        Assert.NotNull(zip.GetEntry("LICENSE"));
        using var nuspec = zip.GetEntry($"{id}.nuspec")!.Open();
        var metadata = System.Xml.Linq.XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Element(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal("Apache-2.0", Element("license"));
        Assert.Equal("README.md", Element("readme"));
        Assert.Matches("^[0-9a-f]{40}$", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("commit")?.Value ?? "");
    }

    [Fact]
    public void The_hike_tool_installs_from_a_local_feed_ready_to_run_on_linux_x64_and_answers_a_query()
    {
        using var dir = new TempDirectory();
        string feed = Path.Combine(dir.Path, "feed"), tools = Path.Combine(dir.Path, "tools");
        Dotnet(Samples.Repo, null, "pack", Path.Combine(Samples.Repo, "src", "Hike.Cli"), "-c", "Release", "-o", feed);
        string version = VersionPrefix().Match(File.ReadAllText(Path.Combine(Samples.Repo, "Directory.Build.props"))).Groups[1].Value;
        AssertPackageMetadata(Path.Combine(feed, $"Hike.Cli.{version}.nupkg"), "Hike.Cli");
        var environment = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(dir.Path, "packages") };
        Dotnet(dir.Path, environment, "tool", "install", "Hike.Cli", "--tool-path", tools, "--add-source", feed, "--version", version);

        string hike = Path.Combine(tools, "hike");
        var start = new ProcessStartInfo(hike) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "query", "[:find ?x . :in ?x]", "42" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Assert.Equal("42", process.StandardOutput.ReadToEnd().Trim());
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        // The platform's own package where there is one: precompiled, not the portable one.
        string installed = new FileInfo(hike).LinkTarget ?? hike;
        string expected = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64" ? "hike.cli.linux-x64" : "hike.cli.any";
        Assert.Contains(expected, installed, StringComparison.Ordinal);
    }

    /// <summary>What each <c>Console.WriteLine</c> of the block should print: the comment beside it, or on the line after it.</summary>
    private static List<string> Expected(string[] block)
    {
        var expected = new List<string>();
        for (int i = 0; i < block.Length; i++)
        {
            if (!block[i].Contains("Console.WriteLine(", StringComparison.Ordinal)) continue;
            int comment = block[i].LastIndexOf("// ", StringComparison.Ordinal);
            expected.Add(comment >= 0 ? block[i][(comment + 3)..].Trim() : block[i + 1].Trim().TrimStart('/').Trim());
        }
        return expected;
    }

    private static string Dotnet(string directory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"dotnet {string.Join(' ', args)} did not finish");
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{output}\n{error.Result}");
        return output;
    }

    [GeneratedRegex("<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
