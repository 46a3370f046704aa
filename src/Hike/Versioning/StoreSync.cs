using Hike.Edn;
using Hike.Index.Codec;
using Hike.Index.Stored;
using Hike.Storage;

namespace Hike.Versioning;

/// <summary>
/// Copies a database from one store to another of any kind (konserve-sync's job): the segments the
/// target lacks or has only part of, then the config the first time, then the branch set and heads,
/// last, each checked against the copy first. So a target is at every moment either as it was or a
/// database whose every head names a whole commit: a sync cut short leaves it openable, and running
/// it again finishes it. A second sync of an unchanged source writes nothing. The source is read
/// as another process reads it, without its lock; the target's writer lock is held throughout.
/// </summary>
internal static class StoreSync
{
    /// <summary>How much of a segment one read or write moves.</summary>
    private const int Chunk = 8 << 20;

    /// <summary>The bytes before a target's end that must match the source's for the rest to be appended to it.</summary>
    private const int Overlap = 4096;

    /// <summary>
    /// Brings the database in <paramref name="target"/> (named <paramref name="targetName"/>) up to
    /// <paramref name="source"/>'s branches — all of them, or <paramref name="branch"/> alone.
    /// </summary>
    /// <paramref name="targetStore"/> is the <c>:store</c> map the target's config records when the
    /// sync creates it there (the source's config otherwise), so that the target opens with its own.
    /// A branch the target already has must be one the source has moved on from: a target whose head
    /// is not an ancestor of the source's (another database, or commits made in the copy) is
    /// <c>sync/diverged</c>, before anything is written.
    public static SyncReport Run(StoredCommitLog source, StoredCommitLog target, string sourceName, string targetName, EdnMap targetStore, Keyword? branch, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        var config = source.ReadConfig() ?? throw Errors.DatabaseMissing(sourceName);
        var existing = target.ReadConfig();
        if (existing is null && target.Store.Get(StoreLayout.ConfigKey) is not null) throw Errors.StoreOccupied(targetName);
        using var held = target.AcquireWriterLock();

        // What the target will stand at: the source's heads as they are now. Everything they reach is
        // in segments that exist now, so copying those after reading the heads copies all of it.
        var branches = branch is { } only
            ? source.ReadBranches().Contains(only) && source.HeadId(only) is not null ? [only] : throw Errors.BranchMissing(only)
            : source.ReadBranches().Where(b => source.HeadId(b) is not null).ToList();
        var heads = branches.ToDictionary(b => b, b => source.Store.Get(source.HeadKey(b))!);
        if (existing is not null)
        {
            foreach (var name in branches) RequireFastForward(source, target, name, targetName);
        }

        int objects = 0;
        long bytes = 0;
        var segments = source.Store.List(Packs.Prefix).Where(k => Packs.TryParseKey(k, out _)).Order(StringComparer.Ordinal).ToList();
        for (int i = 0; i < segments.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long copied = CopySegment(source.Store, target.Store, segments[i], targetName);
            if (copied > 0)
            {
                objects++;
                bytes += copied;
            }
            progress?.Report(new SyncProgress(i + 1, segments.Count, bytes));
        }
        target.Store.Sync();

        if (existing is null)
        {
            target.WriteConfig(config.With(Keyword.Intern("store"), targetStore));
            target.Store.Sync();
            objects++;
        }

        var listed = target.ReadBranches();
        if (!branches.All(listed.Contains))
        {
            target.RewriteBranches(listed.Union(branches));
            target.Store.Sync();
        }
        var moved = new List<Keyword>();
        foreach (var (name, head) in heads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = target.HeadKey(name);
            var current = target.Store.Get(key);
            if (current is not null && current.AsSpan().SequenceEqual(head)) continue;
            // The copy must hold the whole pack of the commit the head names before the head moves.
            var record = HeadRecord.Read(Envelope.Open(head, key, Envelope.KindHead)) ?? throw Errors.Corrupt(source.HeadKey(name), "it is not a head");
            target.Resolve(record, key);
            if (!target.Store.CompareAndSet(key, current, current is null, head)) throw Errors.WriterConflict(key);
            bytes += head.Length;
            moved.Add(name);
        }
        return new SyncReport(objects, bytes, moved);
    }

    /// <summary>Makes the target's copy of segment <paramref name="key"/> the source's; returns the bytes written.</summary>
    private static long CopySegment(IKeyValueStore source, IKeyValueStore target, string key, string targetName)
    {
        // A segment only grows (GC zeroes ranges in place), so a shorter copy is a prefix of it.
        if (source.Size(key) is not { } size) return 0;
        long have = target.Size(key) ?? -1;
        if (have == size) return 0;
        if (have > size) throw Errors.SyncDiverged(targetName, $"its {key} is longer than the source's ({have} bytes, not {size})");
        if (have > Overlap && target.AppendsInPlace && SameBytes(source, target, key, have - Overlap, Overlap))
        {
            for (long at = have; at < size; at += Chunk)
            {
                var part = source.GetRange(key, at, (int)Math.Min(Chunk, size - at)) ?? [];
                if (target.Append(key, part) != at) throw Errors.WriterConflict(key);
            }
            return size - have;
        }
        var whole = source.Get(key);
        if (whole is null) return 0;
        target.Put(key, whole);
        return whole.Length;
    }

    private static bool SameBytes(IKeyValueStore source, IKeyValueStore target, string key, long offset, int length) =>
        source.GetRange(key, offset, length) is { } a && target.GetRange(key, offset, length) is { } b && a.AsSpan().SequenceEqual(b);

    /// <summary>Throws <c>sync/diverged</c> unless <paramref name="branch"/>'s head in the target is missing, or a commit the source's head descends from.</summary>
    private static void RequireFastForward(StoredCommitLog source, StoredCommitLog target, Keyword branch, string targetName)
    {
        if (target.HeadId(branch) is not { } theirs || theirs == source.HeadId(branch)) return;
        var head = source.FindCommit(source.HeadId(branch)!.Value)!;
        if (source.FindCommit(theirs) is { } known && CommitDag.MergeBase(source, head, known)?.Id == theirs) return;
        throw Errors.SyncDiverged(targetName, $"its branch {Errors.Show(branch)} has commits the source lacks (it is another database, or was written since the last sync)");
    }
}
