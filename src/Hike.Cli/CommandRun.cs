using Hike.Cli.Inputs;
using Hike.Cli.Output;

namespace Hike.Cli;

/// <summary>
/// One invocation of a command: its positional arguments, the global options, the resolver of
/// prefixed arguments (whose connections it releases) and the result writer.
/// </summary>
internal sealed class CommandRun(string command, IReadOnlyList<string> arguments, CliOptions options, TextReader input, TextWriter output, TextWriter errors, CancellationToken cancellation) : IDisposable
{
    public string Command { get; } = command;

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public CliOptions Options { get; } = options;

    public ArgumentResolver Resolver { get; } = new();

    public ResultWriter Result { get; } = new(output, options.Format);

    /// <summary>Standard input, for transaction data and streams.</summary>
    public TextReader Input { get; } = input;

    /// <summary>Standard error, for progress and warnings (never results).</summary>
    public TextWriter Errors { get; } = errors;

    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Positional argument <paramref name="index"/>, named <paramref name="name"/> in the error when it is missing.</summary>
    public string Arg(int index, string name) =>
        index < Arguments.Count ? Arguments[index] : throw CliErrors.Argument($"{Command} needs {name} as argument {index + 1}");

    /// <summary>Positional argument <paramref name="index"/>, or null when not given.</summary>
    public string? OptionalArg(int index) => index < Arguments.Count ? Arguments[index] : null;

    /// <summary>The arguments from <paramref name="index"/> on.</summary>
    public IEnumerable<string> Rest(int index) => Arguments.Skip(index);

    /// <summary>Fails when more than <paramref name="count"/> arguments were given.</summary>
    public void AtMost(int count)
    {
        if (Arguments.Count > count) throw CliErrors.Argument($"{Command} takes at most {count} argument(s), got {Arguments.Count}: unexpected {Arguments[count]}");
    }

    public void Dispose() => Resolver.Dispose();
}
