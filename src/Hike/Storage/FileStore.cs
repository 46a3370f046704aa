using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;

namespace Hike.Storage;

/// <summary>
/// A store in a folder: each key is a file at the key's path (<c>nodes/3f/3f9a…</c>). Built for
/// Hike's write pattern: many new immutable objects, one <see cref="Sync"/>, then a
/// <see cref="CompareAndSet"/> of a head. New objects are written straight to their file and made
/// durable together by one <c>syncfs</c> on Linux (one journal commit instead of one per file); a
/// key that already has a file is replaced by writing a temporary file and renaming it over, so
/// readers (in this process or others) see the old or the new value, never a mix.
/// </summary>
/// <remarks>
/// Thread-safe. Any number of processes may read; only the holder of <see cref="AcquireWriterLock"/>
/// may write. A key cannot also be the folder of other keys (<c>a</c> beside <c>a/b</c>): writing
/// it throws <see cref="IOException"/>. A write lost in a crash before <see cref="Sync"/> may leave
/// a new object's file short; its checksum catches that, and writing the key again repairs it.
/// </remarks>
internal sealed class FileStore : IKeyValueStore
{
    private const int LinuxEwouldblock = 11;
    private const int BsdEwouldblock = 35;
    private const int WindowsSharingViolation = unchecked((int)0x80070020);
    private const int WindowsLockViolation = unchecked((int)0x80070021);

    /// <summary>How often a slot file that fails its check is read again before it counts as damaged.</summary>
    private const int SlotRereads = 5;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static long _tempCounter;

    private readonly string _root;
    private readonly int _keyStart;
    private readonly Lock _dirtyGate = new();
    private readonly Lock _syncGate = new();
    private readonly Lock _casGate = new();
    private readonly Lock _deleteGate = new();
    private readonly Lock _writerGate = new();
    private readonly Dictionary<string, AppendTarget> _appending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SafeFileHandle> _slotHandles = new(StringComparer.Ordinal);
    private HashSet<string> _dirtyFiles = new(StringComparer.Ordinal);
    private HashSet<string> _dirtyFolders = new(StringComparer.Ordinal);
    private HashSet<string> _syncingFiles = new(StringComparer.Ordinal);
    private HashSet<string> _syncingFolders = new(StringComparer.Ordinal);
    private SafeFileHandle? _rootHandle;
    private bool _noSyncFs;
    private FileStream? _writerLock;
    private volatile bool _disposed;

    /// <summary>Opens the store in <paramref name="directory"/>, creating the folder when it is missing.</summary>
    public FileStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        _keyStart = _root.Length + 1;
        if (!Directory.Exists(_root))
        {
            CreateFolders(_root);
            if (Path.GetDirectoryName(_root) is { } parent) MarkFolderDirty(parent);
        }
    }

    /// <summary>The store's folder, as a full path.</summary>
    public string Folder => _root;

    /// <summary>
    /// Makes <see cref="Sync"/> fsync each written file and folder instead of calling Linux
    /// <c>syncfs</c>, as on other systems; for tests of that path.
    /// </summary>
    internal bool SyncFileSystemDisabled { get; set; }

    /// <summary>Reads the key's whole file; null when there is none. Safe while another process writes the store.</summary>
    public byte[]? Get(string key)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        return ReadFile(key);
    }

    /// <inheritdoc />
    public long? Size(string key)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        try
        {
            using var handle = File.OpenHandle(PathOf(key), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = RandomAccess.GetLength(handle);
            Span<byte> start = stackalloc byte[2 * SlotFile.HeaderSize];
            // A slot file's value is not its bytes: its size is the newest slot's.
            if (length >= start.Length && RandomAccess.Read(handle, start, 0) == start.Length && SlotFile.IsSlotFile(start)) return ReadFile(key)?.Length;
            return length;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public byte[]? GetRange(string key, long offset, int length)
    {
        StoreKeys.Validate(key);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ThrowIfDisposed();
        SafeFileHandle handle;
        string path = PathOf(key);
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            throw Errors.Corrupt(key, "it is a folder where a file should be");
        }
        using (handle)
        {
            long available = Math.Max(0, RandomAccess.GetLength(handle) - offset);
            return ReadAt(handle, offset, (int)Math.Min(length, available));
        }
    }

    /// <summary>
    /// Punches holes for <paramref name="ranges"/> in the key's file on Linux, freeing their disk
    /// blocks; elsewhere, or where the file system cannot, overwrites them with zeros.
    /// </summary>
    public void Trim(string key, IReadOnlyList<(long Offset, long Length)> ranges)
    {
        StoreKeys.Validate(key);
        ArgumentNullException.ThrowIfNull(ranges);
        ThrowIfDisposed();
        string path = PathOf(key);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return;
        }
        using (handle)
        {
            long size = RandomAccess.GetLength(handle);
            foreach (var (offset, length) in ranges)
            {
                long end = Math.Min(size, offset + length);
                if (end <= offset || FileSync.PunchHole(handle, offset, end - offset)) continue;
                var zeros = new byte[Math.Min(end - offset, 1 << 20)];
                for (long at = offset; at < end; at += zeros.Length) RandomAccess.Write(handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, end - at)), at);
            }
        }
        lock (_dirtyGate) _dirtyFiles.Add(path);
    }

    /// <summary>
    /// Writes the key's file: directly when it is new (the common case, immutable objects), else
    /// through a temporary file renamed over it. Durable after the next <see cref="Sync"/>.
    /// </summary>
    public void Put(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        string path = PathOf(key);
        lock (_casGate) DropSlotHandle(path);
        if (!TryWriteNew(path, value)) Replace(path, value);
        lock (_dirtyGate)
        {
            _dirtyFiles.Add(path);
            _dirtyFolders.Add(Path.GetDirectoryName(path)!);
        }
    }

    /// <summary>
    /// Appends to the key's file, kept open for further appends (the writer's current segment), and
    /// returns where the bytes start. Durable after the next <see cref="Sync"/>, which then needs only a
    /// data sync of this file.
    /// </summary>
    public bool AppendsInPlace => true;

    public long Append(string key, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        string path = PathOf(key);
        lock (_appending)
        {
            if (!_appending.TryGetValue(path, out var target))
            {
                string folder = Path.GetDirectoryName(path)!;
                bool existed = File.Exists(path);
                if (!existed) foreach (string made in CreateFolders(folder)) MarkFolderDirty(Path.GetDirectoryName(made)!);
                var handle = OpenOrCreate(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                target = new AppendTarget(handle, RandomAccess.GetLength(handle));
                _appending[path] = target;
                if (!existed) MarkFolderDirty(folder);
            }
            long offset = target.Length;
            RandomAccess.Write(target.Handle, value, offset);
            target.Length = offset + value.Length;
            lock (_dirtyGate) _dirtyFiles.Add(path);
            return offset;
        }
    }

    /// <summary>Deletes the key's file; false when there was none. Durable after the next <see cref="Sync"/>.</summary>
    public bool Delete(string key)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        string path = PathOf(key);
        lock (_appending)
        {
            if (_appending.Remove(path, out var target)) target.Handle.Dispose();
        }
        lock (_casGate) DropSlotHandle(path);
        // Serialised so that of two threads deleting one key only one reports it existed.
        lock (_deleteGate)
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
        }
        MarkFolderDirty(Path.GetDirectoryName(path)!);
        return true;
    }

    /// <summary>
    /// Every key starting with <paramref name="prefix"/>, enumerated lazily from the folder the prefix
    /// names (<c>nodes/3f/</c> reads only that folder). Temporary files and files that are not keys
    /// are skipped.
    /// </summary>
    public IEnumerable<string> List(string prefix)
    {
        StoreKeys.ValidatePrefix(prefix);
        ThrowIfDisposed();
        int slash = prefix.LastIndexOf('/');
        string folder = slash < 0 ? _root : Path.Join(_root, prefix.AsSpan(0, slash));
        if (!Directory.Exists(folder)) return [];
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = false,
            AttributesToSkip = 0, // keys may start with '.', which Unix .NET reports as hidden
        };
        int keyStart = _keyStart;
        var files = new FileSystemEnumerable<string?>(folder, (ref entry) => KeyOf(ref entry, keyStart), options)
        {
            ShouldIncludePredicate = static (ref entry) => !entry.IsDirectory,
        };
        return MatchingKeys(files, prefix);
    }

    /// <summary>
    /// Replaces the key's value when it equals <paramref name="expected"/> (or is absent, with
    /// <paramref name="expectAbsent"/>): writes and fsyncs a temporary file, renames it over the key's
    /// file, and fsyncs the folder, so it is durable on return and other processes see the old or the
    /// new value. Serialised within this process; across processes only the writer-lock holder may call it.
    /// </summary>
    public bool CompareAndSet(string key, ReadOnlySpan<byte> expected, bool expectAbsent, ReadOnlySpan<byte> value)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        string path = PathOf(key);
        string folder = Path.GetDirectoryName(path)!;
        lock (_casGate)
        {
            _slotHandles.TryGetValue(path, out var open);
            byte[]? file = open is null ? ReadRaw(path) : ReadAll(open, path);
            bool isSlotFile = file is not null && SlotFile.IsSlotFile(file);
            var slots = isSlotFile ? SlotFile.Read(file) : null;
            // Only this writer writes the file (under this lock), so a damaged slot is damage, not a write in flight.
            if (isSlotFile && slots is null) throw Errors.Corrupt(key, $"its slots fail their checks ({SlotFile.Describe(file)})");
            byte[]? current = slots is { } s ? s.Value : file;
            bool matches = expectAbsent ? current is null : current is not null && expected.SequenceEqual(current);
            if (!matches) return false;
            if (slots is { } found && SlotFile.Fits(file!.Length, value.Length))
            {
                // The usual case: one small write into the slot holding the older value, one data sync,
                // through a handle kept open for the next update (heads move on every commit).
                if (open is null)
                {
                    open = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
                    _slotHandles[path] = open;
                }
                SlotFile.Update(open, path, file.Length, 1 - found.NewerSlot, found.Sequence + 1, value);
                return true;
            }
            DropSlotHandle(path);
            List<string>? created = current is null ? CreateFolders(folder) : null;
            Replace(path, SlotFile.Create(value));
            FileSync.SyncDirectory(folder);
            if (created is not null)
            {
                // Deepest first, so each created folder's entry in its parent becomes durable.
                foreach (string made in created) FileSync.SyncDirectory(Path.GetDirectoryName(made)!);
            }
            return true;
        }
    }

    /// <summary>
    /// Makes every earlier <see cref="Put"/> and <see cref="Delete"/> durable: on Linux one
    /// <c>syncfs</c> of the store's file system (which also flushes other programs' writes to it),
    /// elsewhere an fsync of each written file and changed folder. Throws <see cref="IOException"/>
    /// when the system reports a lost write; the store's durability is then unknown and the writer
    /// must stop.
    /// </summary>
    public void Sync()
    {
        ThrowIfDisposed();
        lock (_syncGate)
        {
            HashSet<string> files, folders;
            lock (_dirtyGate)
            {
                if (_dirtyFiles.Count == 0 && _dirtyFolders.Count == 0) return;
                (files, _dirtyFiles, _syncingFiles) = (_dirtyFiles, _syncingFiles, _dirtyFiles);
                (folders, _dirtyFolders, _syncingFolders) = (_dirtyFolders, _syncingFolders, _dirtyFolders);
            }
            try
            {
                if (folders.Count == 0 && TrySyncAppended(files))
                {
                    // Only appended files changed: a data sync of each is enough.
                }
                else if (!TrySyncFileSystem())
                {
                    foreach (string file in files) FileSync.SyncFile(file);
                    foreach (string folder in folders) FileSync.SyncDirectory(folder);
                }
            }
            catch
            {
                lock (_dirtyGate)
                {
                    _dirtyFiles.UnionWith(files);
                    _dirtyFolders.UnionWith(folders);
                }
                throw;
            }
            finally
            {
                files.Clear();
                folders.Clear();
            }
        }
    }

    /// <summary>
    /// Takes an exclusive OS lock on <c>writer.lock</c> in the store's folder (<c>flock</c> on Unix,
    /// a share-mode lock on Windows), held until the handle or the store is disposed or the process
    /// dies. Throws a <see cref="HikeException"/> with code <c>db/writer-locked</c> when another
    /// handle, in this process or another, holds it. Then deletes temporary files a crashed writer
    /// left, which is safe because only the writer creates them. O(files in the store).
    /// </summary>
    /// <remarks>Ineffective when .NET's file locking is turned off (<c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c>).</remarks>
    public IDisposable AcquireWriterLock()
    {
        ThrowIfDisposed();
        string lockPath = Path.Join(_root, StoreKeys.LockFileName);
        FileStream stream;
        try
        {
            // FileShare.None makes .NET take flock(LOCK_EX | LOCK_NB) on Unix. flock belongs to the
            // open file description, so a second open in this very process is refused too.
            stream = new FileStream(lockPath, FileOptionsFor(FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e.HResult is LinuxEwouldblock or BsdEwouldblock or WindowsSharingViolation or WindowsLockViolation)
        {
            throw Errors.WriterLocked($"Store folder {_root}", e);
        }
        try
        {
            // For people wondering who holds the lock; not needed for locking.
            stream.SetLength(0);
            stream.Write(System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n"));
            DeleteTempFiles();
        }
        catch
        {
            stream.Dispose();
            throw;
        }
        lock (_writerGate) _writerLock = stream;
        return new WriterLock(() =>
        {
            lock (_writerGate)
            {
                if (ReferenceEquals(_writerLock, stream)) _writerLock = null;
            }
            stream.Dispose();
        });
    }

    /// <summary>Closes the store's open handles, the writer lock's included. Flushes nothing: unsynced writes stay undurable.</summary>
    public void Dispose()
    {
        _disposed = true;
        lock (_appending)
        {
            foreach (var target in _appending.Values) target.Handle.Dispose();
            _appending.Clear();
        }
        lock (_casGate)
        {
            foreach (var handle in _slotHandles.Values) handle.Dispose();
            _slotHandles.Clear();
        }
        lock (_syncGate) _rootHandle?.Dispose();
        lock (_writerGate)
        {
            _writerLock?.Dispose();
            _writerLock = null;
        }
    }

    private string PathOf(string key) => Path.Join(_root, key);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private void MarkFolderDirty(string folder)
    {
        lock (_dirtyGate) _dirtyFolders.Add(folder);
    }

    /// <summary>Flushes <paramref name="files"/> through their open append handles; false when one of them is not being appended to.</summary>
    private bool TrySyncAppended(HashSet<string> files)
    {
        lock (_appending)
        {
            foreach (string file in files)
            {
                if (!_appending.ContainsKey(file)) return false;
            }
            foreach (string file in files) FileSync.SyncData(_appending[file].Handle, file);
            return true;
        }
    }

    private bool TrySyncFileSystem()
    {
        if (!OperatingSystem.IsLinux() || _noSyncFs || SyncFileSystemDisabled) return false;
        _rootHandle ??= FileSync.OpenDirectory(_root);
        if (FileSync.SyncFileSystem(_rootHandle, _root)) return true;
        _noSyncFs = true;
        return false;
    }

    /// <summary>
    /// The key's value: the file's bytes, or for a file that <see cref="CompareAndSet"/> keeps in slots,
    /// its newest slot. A slot that fails its check is read again a few times, as another process's
    /// write into it may be in flight; if it still fails, the file is damaged.
    /// </summary>
    private byte[]? ReadFile(string key)
    {
        string path = PathOf(key);
        for (int attempt = 0; ; attempt++)
        {
            var file = ReadRaw(path);
            if (file is null || !SlotFile.IsSlotFile(file)) return file;
            if (SlotFile.Read(file) is { } slots) return slots.Value;
            if (attempt == SlotRereads) throw Errors.Corrupt(key, $"its slots fail their checks ({SlotFile.Describe(file)})");
            Thread.Sleep(attempt);
        }
    }

    /// <summary>Forgets the open handle of a slot file that is being replaced or deleted. Under the compare-and-set lock.</summary>
    private void DropSlotHandle(string path)
    {
        if (_slotHandles.Remove(path, out var handle)) handle.Dispose();
    }

    private static byte[] ReadAll(SafeFileHandle handle, string path)
    {
        long length = RandomAccess.GetLength(handle);
        if (length > Array.MaxLength) throw new IOException($"{path} is too large to be a stored value ({length} bytes)");
        return ReadAt(handle, 0, (int)length);
    }

    /// <summary>
    /// Up to <paramref name="length"/> bytes from <paramref name="offset"/>; fewer when the file ends
    /// first (shorter than its length a moment ago only if something outside Hike truncated it; the
    /// caller's checksum reports that).
    /// </summary>
    private static byte[] ReadAt(SafeFileHandle handle, long offset, int length)
    {
        var buffer = new byte[length];
        int read = 0;
        while (read < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(read), offset + read);
            if (n == 0) break;
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private static byte[]? ReadRaw(string path)
    {
        SafeFileHandle handle;
        try
        {
            // FileShare.Delete lets the writer rename over or delete the file while we read it on Windows.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (Directory.Exists(path))
        {
            return null; // a folder of keys, not a key
        }
        using (handle) return ReadAll(handle, path);
    }

    /// <summary>Writes a file that does not exist yet; false when it exists.</summary>
    private bool TryWriteNew(string path, ReadOnlySpan<byte> value)
    {
        SafeFileHandle? handle = null;
        for (int attempt = 0; handle is null; attempt++)
        {
            try
            {
                handle = OpenOrCreate(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            }
            catch (DirectoryNotFoundException) when (attempt == 0)
            {
                foreach (string made in CreateFolders(Path.GetDirectoryName(path)!)) MarkFolderDirty(Path.GetDirectoryName(made)!);
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }
        using (handle)
        {
            try
            {
                RandomAccess.Write(handle, value, 0);
            }
            catch
            {
                handle.Dispose();
                TryDelete(path);
                throw;
            }
        }
        return true;
    }

    /// <summary>
    /// Replaces <paramref name="path"/> by renaming a temporary file over it. The temporary file is
    /// fsynced first so that a crash after the rename finds the new value, not an empty file.
    /// </summary>
    private static void Replace(string path, ReadOnlySpan<byte> value)
    {
        string temp = $"{path}.{Environment.ProcessId}-{Interlocked.Increment(ref _tempCounter)}{StoreKeys.TempSuffix}";
        try
        {
            using (SafeFileHandle handle = OpenOrCreate(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, value, 0);
                RandomAccess.FlushToDisk(handle);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Creates <paramref name="folder"/> and its missing parents, for the owner alone; returns the ones created inside the store, deepest first.</summary>
    private List<string> CreateFolders(string folder)
    {
        var missing = new List<string>();
        for (string? f = folder; f is not null && f.Length > _root.Length && !Directory.Exists(f); f = Path.GetDirectoryName(f))
            missing.Add(f);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, OwnerOnlyFolder);
        return missing;
    }

    /// <summary>
    /// Opens <paramref name="path"/>, creating it readable and writable by its owner alone (0600) when
    /// <paramref name="mode"/> creates it: a store's data is nobody else's business. Only
    /// <see cref="FileStream"/> can set the mode a file is created with, so the handle comes from one.
    /// </summary>
    private static SafeFileHandle OpenOrCreate(string path, FileMode mode, FileAccess access, FileShare share)
    {
        if (OperatingSystem.IsWindows()) return File.OpenHandle(path, mode, access, share);
        var stream = new FileStream(path, FileOptionsFor(mode, access, share));
        // The handle is ours from here on; the stream must not close it when it is collected.
        GC.SuppressFinalize(stream);
        return stream.SafeFileHandle;
    }

    private static FileStreamOptions FileOptionsFor(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share, BufferSize = 0 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        return options;
    }

    /// <summary>
    /// Every value the key's file holds that passes its check, newest first: for a slot file its valid
    /// slots (a damaged slot skipped, where <see cref="Get"/> reports it), else the file's bytes. For
    /// recovery, which must see what survived.
    /// </summary>
    public IReadOnlyList<byte[]> GetSurviving(string key)
    {
        StoreKeys.Validate(key);
        ThrowIfDisposed();
        var file = ReadRaw(PathOf(key));
        if (file is null) return [];
        return SlotFile.IsSlotFile(file) ? SlotFile.ReadValid(file) : [file];
    }

    /// <summary>
    /// Removes what a database left in the store's folder once its keys are deleted (the caller holds
    /// no writer lock any more): the temporary files and lock file only this class makes, then
    /// <paramref name="keyFolders"/> and the store's folder itself where they are empty. Anything else
    /// in them stays, and so do they.
    /// </summary>
    public void Vacate(IEnumerable<string> keyFolders)
    {
        ArgumentNullException.ThrowIfNull(keyFolders);
        ThrowIfDisposed();
        DeleteTempFiles();
        TryDelete(Path.Join(_root, StoreKeys.LockFileName));
        foreach (string folder in keyFolders.Select(PathOf).Append(_root))
        {
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            }
            catch (IOException)
            {
                // Something appeared in it meanwhile: it stays.
            }
        }
    }

    /// <summary>Deletes the temporary files this class names (<c>&lt;key&gt;.&lt;pid&gt;-&lt;n&gt;.tmp~</c>), which only a writer makes; no other file.</summary>
    private void DeleteTempFiles()
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        var temps = new FileSystemEnumerable<string>(_root, static (ref entry) => entry.ToFullPath(), options)
        {
            ShouldIncludePredicate = static (ref entry) => !entry.IsDirectory && IsTempFileName(entry.FileName),
        };
        foreach (string temp in temps) TryDelete(temp);
    }

    private static bool IsTempFileName(ReadOnlySpan<char> name)
    {
        if (!name.EndsWith(StoreKeys.TempSuffix, StringComparison.Ordinal)) return false;
        var stem = name[..^StoreKeys.TempSuffix.Length];
        int dot = stem.LastIndexOf('.');
        if (dot <= 0) return false;
        var counters = stem[(dot + 1)..];
        int dash = counters.IndexOf('-');
        return dash > 0 && dash < counters.Length - 1 && counters.IndexOfAnyExcept("0123456789-") < 0 && counters.Count('-') == 1
            && StoreKeys.IsValid(stem[..dot].ToString());
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is harmless, and AcquireWriterLock removes it.
        }
    }

    private static string? KeyOf(ref FileSystemEntry entry, int keyStart)
    {
        ReadOnlySpan<char> folder = entry.Directory;
        string key = folder.Length >= keyStart
            ? string.Concat(folder[keyStart..], "/", entry.FileName)
            : entry.FileName.ToString();
        if (Path.DirectorySeparatorChar != '/') key = key.Replace(Path.DirectorySeparatorChar, '/');
        return StoreKeys.IsValid(key) ? key : null;
    }

    private static IEnumerable<string> MatchingKeys(IEnumerable<string?> keys, string prefix)
    {
        foreach (string? key in keys)
        {
            if (key is not null && key.StartsWith(prefix, StringComparison.Ordinal)) yield return key;
        }
    }

    private sealed class AppendTarget(SafeFileHandle handle, long length)
    {
        public SafeFileHandle Handle { get; } = handle;

        public long Length { get; set; } = length;
    }
}
