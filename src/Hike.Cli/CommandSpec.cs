namespace Hike.Cli;

/// <summary>
/// A command as dthk names it: its positional arguments (the last may take the rest, written
/// <c>name...</c>), a description with an example, and what it does.
/// </summary>
internal sealed record CommandSpec(string Name, string Description, string[] Arguments, Func<CommandRun, Task> Run)
{
    /// <summary>Other names the command answers to (<c>q</c> for <c>query</c>, as dthk has it).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
