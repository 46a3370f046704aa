using Hike.Testing;

namespace Hike.Cli.Tests;

/// <summary>The CLI's own error codes are named constants in <see cref="CliErrorCodes"/>, apart from the engine's.</summary>
public sealed class CliErrorCodesTests
{
    [Fact]
    public void Every_CLI_error_code_is_distinct_from_the_others_and_the_engines_code_shaped_and_named_after_its_code()
    {
        var codes = ErrorCodeConstants.Of(typeof(CliErrorCodes));

        Assert.Equal("cli/argument", CliErrorCodes.CliArgument);
        Assert.Equal(codes.Count, codes.Values.Distinct().Count());
        Assert.Empty(codes.Values.Intersect(ErrorCodeConstants.Of(typeof(ErrorCodes)).Values));
        Assert.All(codes, c =>
        {
            Assert.Matches(ErrorCodeConstants.Shape(), c.Value);
            Assert.Equal(ErrorCodeConstants.NameFor(c.Value), c.Key);
        });
    }

    [Fact]
    public void Every_exception_the_CLI_error_factory_builds_carries_a_named_code()
    {
        var codes = ErrorCodeConstants.Of(typeof(CliErrorCodes)).Values.Concat(ErrorCodeConstants.Of(typeof(ErrorCodes)).Values).ToHashSet();
        var built = ErrorCodeConstants.FactoryCodes(typeof(CliErrors), CliErrorCodes.CliArgument);

        Assert.All(built, b => Assert.Contains(b.Value, codes));
        // Usage errors, interrupts and running out of memory are printed, never thrown.
        string[] printedOnly = [CliErrorCodes.CliInterrupted, CliErrorCodes.CliOutOfMemory, CliErrorCodes.CliUsage];
        Assert.Equal(printedOnly.Order(), ErrorCodeConstants.Of(typeof(CliErrorCodes)).Values.Except(built.Values).Order());
    }
}
