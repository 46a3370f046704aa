using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Hike.Testing;

namespace Hike.Tests;

/// <summary>Error codes live in one place: <see cref="ErrorCodes"/> names them, <see cref="Errors"/> builds every exception that carries one.</summary>
public sealed partial class ErrorCodesTests
{
    [Fact]
    public void Every_error_code_is_distinct_code_shaped_and_named_after_its_code()
    {
        var codes = ErrorCodeConstants.Of(typeof(ErrorCodes));

        Assert.Equal("transact/syntax", ErrorCodes.TransactSyntax);
        Assert.Equal(codes.Count, codes.Values.Distinct().Count());
        Assert.All(codes, c =>
        {
            Assert.Matches(ErrorCodeConstants.Shape(), c.Value);
            Assert.Equal(ErrorCodeConstants.NameFor(c.Value), c.Key);
        });
    }

    [Fact]
    public void Every_exception_the_error_factory_builds_carries_a_named_code_and_every_code_but_the_parsers_has_a_factory()
    {
        var codes = ErrorCodeConstants.Of(typeof(ErrorCodes)).Values.ToHashSet();
        var built = ErrorCodeConstants.FactoryCodes(typeof(Errors), ErrorCodes.ParserFind);

        Assert.All(built, b => Assert.Contains(b.Value, codes));
        // Errors.Parser takes its parser/… code from the caller; EDN syntax errors are built by the EDN parser, with their place.
        string[] unbuilt = [ErrorCodes.EdnSyntax, ErrorCodes.ParserIn, ErrorCodes.ParserQuery, ErrorCodes.ParserRules, ErrorCodes.ParserWhere, ErrorCodes.ParserWith];
        Assert.Equal(unbuilt.Order(), codes.Except(built.Values).Order());
    }

    [Fact]
    public void No_source_file_builds_a_coded_exception_or_spells_a_code_outside_the_error_factories_and_constants()
    {
        var src = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Here())!, "..", "..", "src"));
        var codes = ErrorCodeConstants.Of(typeof(ErrorCodes)).Values.Concat(OwnCodes(src)).ToHashSet();
        var offences = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(src, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj")) continue;
            string name = Path.GetFileName(file);
            if (name is "ErrorCodes.cs" or "CliErrorCodes.cs" or "ServerErrorCodes.cs") continue;
            bool factory = name is "Errors.cs" or "CliErrors.cs" or "ServerErrors.cs";
            string text = File.ReadAllText(file);
            if (!factory) offences.AddRange(Construction().Matches(text).Select(m => $"{relative}: {m.Value}"));
            // A factory spells no code at all (a new one goes into the constants); elsewhere no known code is spelled out.
            offences.AddRange(CodeLiteral().Matches(text).Where(m => factory || codes.Contains(m.Groups[1].Value)).Select(m => $"{relative}: {m.Value}"));
        }

        Assert.Empty(offences);
    }

    [Fact]
    public void The_error_codes_page_has_one_row_for_every_code_and_names_its_constant()
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Here())!, "..", ".."));
        var page = File.ReadAllText(Path.Combine(root, "docs", "error-codes.md"));
        var engine = ErrorCodeConstants.Of(typeof(ErrorCodes));
        var rows = PageRow().Matches(page).Select(m => (Code: m.Groups[1].Value, Constant: m.Groups[2].Value)).ToList();

        Assert.Equal(engine.Values.Concat(OwnCodes(Path.Combine(root, "src"))).Order(), rows.Select(r => r.Code).Order());
        Assert.All(rows.Where(r => r.Constant != ""), r => Assert.Equal($"ErrorCodes.{engine.Single(c => c.Value == r.Code).Key}", r.Constant));
        Assert.Equal(engine.Count, rows.Count(r => r.Constant != ""));
    }

    private static string Here([CallerFilePath] string path = "") => path;

    /// <summary>The codes the command line and the HTTP server give beside the engine's, from their constants files.</summary>
    private static IEnumerable<string> OwnCodes(string src) =>
        new[] { Path.Combine(src, "Hike.Cli", "CliErrorCodes.cs"), Path.Combine(src, "Hike.Server", "ServerErrorCodes.cs") }
            .SelectMany(file => CliConstant().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value));

    [GeneratedRegex(@"new (HikeException|CorruptionException|MergeConflictException)\(")]
    private static partial Regex Construction();

    [GeneratedRegex(@"\$?""([a-z-]+/[a-z-]*)")]
    private static partial Regex CodeLiteral();

    /// <summary>A table row of docs/error-codes.md: the code, then the engine's constant when it has one.</summary>
    [GeneratedRegex(@"^\| `([a-z-]+/[a-z-]+)` \|(?: `(ErrorCodes\.\w+)` \|)?", RegexOptions.Multiline)]
    private static partial Regex PageRow();

    [GeneratedRegex(@"const string \w+ = ""([^""]+)""")]
    private static partial Regex CliConstant();
}
