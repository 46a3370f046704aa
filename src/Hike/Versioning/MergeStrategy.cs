namespace Hike.Versioning;

/// <summary>
/// How a three-way merge settles conflicts: <see cref="Ours"/> keeps the target branch's values,
/// <see cref="Theirs"/> takes the merged branch's, <see cref="Resolve"/> asks a callback per conflict.
/// Without a strategy a merge with conflicts commits nothing and throws <see cref="MergeConflictException"/>.
/// </summary>
public sealed class MergeStrategy
{
    private MergeStrategy(Func<MergeConflict, MergeResolution> choose) => Choose = choose;

    /// <summary>Every conflict keeps our value.</summary>
    public static MergeStrategy Ours { get; } = new(_ => MergeResolution.Ours);

    /// <summary>Every conflict takes their value.</summary>
    public static MergeStrategy Theirs { get; } = new(_ => MergeResolution.Theirs);

    /// <summary>The resolution of one conflict.</summary>
    internal Func<MergeConflict, MergeResolution> Choose { get; }

    /// <summary>Settles each conflict with <paramref name="choose"/>; it runs on the writer, so keep it quick and do not transact from it.</summary>
    public static MergeStrategy Resolve(Func<MergeConflict, MergeResolution> choose)
    {
        ArgumentNullException.ThrowIfNull(choose);
        return new(choose);
    }
}
