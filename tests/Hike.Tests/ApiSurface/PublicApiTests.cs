using System.Runtime.CompilerServices;
using Hike.Api;
using PublicApiGenerator;

namespace Hike.Tests.ApiSurface;

/// <summary>
/// The public surface of the <c>Hike</c> assembly is a reviewed file: a change to it shows up in the
/// diff of <c>Hike.approved.txt</c>, so adding, removing or re-typing a public member is a decision.
/// Only Hike.Tests compiles this folder (Hike.Tests.FileStore excludes it): it reads the assembly, not a
/// database, so a second run would check nothing new.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_surface_of_Hike_matches_the_approved_file()
    {
        var received = typeof(Database).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Assembly attributes list InternalsVisibleTo and build metadata, which are not API.
            IncludeAssemblyAttributes = false,
            // The compiler names an async iterator's state machine after the member's position in the
            // type, so this attribute changes when an unrelated member is added.
            ExcludeAttributes = ["System.Runtime.CompilerServices.AsyncIteratorStateMachineAttribute"],
        });

        var mismatch = Compare(received, "Hike");

        Assert.True(mismatch is null, mismatch);
    }

    /// <summary>
    /// Compares <paramref name="received"/> with <c>{name}.approved.txt</c> next to this source file.
    /// On a difference it writes <c>{name}.received.txt</c> beside it (git-ignored), so accepting the change
    /// is copying that file over the approved one, and returns a message listing the changed lines.
    /// </summary>
    private static string? Compare(string received, string name, [CallerFilePath] string sourceFile = "")
    {
        var folder = Path.GetDirectoryName(sourceFile)!;
        var approvedPath = Path.Combine(folder, $"{name}.approved.txt");
        var receivedPath = Path.Combine(folder, $"{name}.received.txt");
        received = Normalize(received);
        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : "";
        if (approved == received)
        {
            File.Delete(receivedPath);
            return null;
        }

        File.WriteAllText(receivedPath, received);
        var approvedLines = approved.Split('\n');
        var receivedLines = received.Split('\n');
        var removed = approvedLines.Except(receivedLines).Select(line => "- " + line);
        var added = receivedLines.Except(approvedLines).Select(line => "+ " + line);
        return $"The public API of {name} changed. Review the lines below; to accept them, copy\n"
            + $"  {receivedPath}\nover\n  {approvedPath}\n\n"
            + string.Join('\n', removed.Concat(added));
    }

    // Line endings depend on the checkout, not on the API.
    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";
}
