using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hike.Storage;

/// <summary>
/// The durability calls .NET does not offer: fsync of a directory (.NET refuses to open one) and
/// Linux <c>syncfs</c>, which flushes a whole file system in one journal commit instead of one per
/// file. <c>DllImport</c> rather than <c>LibraryImport</c> because the generator needs unsafe code,
/// which Hike does not allow.
/// </summary>
internal static class FileSync
{
    private const int Einval = 22;
    private const int LinuxEnosys = 38;

    static FileSync()
    {
        // The first call into "libc" reports a bogus errno (203 where the kernel returned EBADF, seen
        // with strace on .NET 10): the library is bound lazily on that call. Bind it now, on a call
        // whose result nobody reads, so every errno we act on is the kernel's.
        if (!OperatingSystem.IsWindows()) _ = NativeMethods.fsync(-1);
    }

    /// <summary>Opens <paramref name="path"/>, a directory, read-only for <see cref="SyncFileSystem"/> and fsync.</summary>
    public static SafeFileHandle OpenDirectory(string path)
    {
        // O_RDONLY is 0; O_CLOEXEC keeps child processes from inheriting the descriptor.
        int cloexec = OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() ? 0x1000000 : 0;
        int fd = NativeMethods.open(path, cloexec);
        if (fd < 0) throw Failure("open", path, Marshal.GetLastPInvokeError());
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Flushes the whole file system holding <paramref name="anyHandle"/> (Linux <c>syncfs</c>); false
    /// when the kernel lacks it. Since Linux 5.8 it reports write-back errors of files already closed.
    /// </summary>
    public static bool SyncFileSystem(SafeFileHandle anyHandle, string pathForErrors)
    {
        int errno = Call(anyHandle, static fd => NativeMethods.syncfs(fd));
        if (errno == 0) return true;
        if (errno == LinuxEnosys) return false;
        throw Failure("syncfs", pathForErrors, errno);
    }

    /// <summary>Makes the entries of directory <paramref name="path"/> durable; nothing to do on Windows (NTFS journals them).</summary>
    public static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        using SafeFileHandle handle = OpenDirectory(path);
        int errno = Call(handle, static fd => NativeMethods.fsync(fd));
        // EINVAL: the file system cannot fsync directories, so there is nothing more to make durable.
        if (errno != 0 && errno != Einval) throw Failure("fsync", path, errno);
    }

    /// <summary>Makes the data of file <paramref name="path"/> durable; false when the file no longer exists.</summary>
    public static bool SyncFile(string path)
    {
        SafeFileHandle handle;
        try
        {
            // Write access because Windows' FlushFileBuffers needs it.
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        using (handle) RandomAccess.FlushToDisk(handle);
        return true;
    }

    /// <summary>
    /// Makes the data of an open file durable, and of its metadata only what reading the data needs
    /// (its size): Linux <c>fdatasync</c>, which skips the timestamps a full fsync also journals.
    /// Elsewhere a full flush.
    /// </summary>
    public static void SyncData(SafeFileHandle file, string pathForErrors)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.FlushToDisk(file);
            return;
        }
        int errno = Call(file, static fd => NativeMethods.fdatasync(fd));
        if (errno != 0) throw Failure("fdatasync", pathForErrors, errno);
    }

    /// <summary>
    /// Frees the disk blocks of a byte range of a file, keeping its size (Linux
    /// <c>fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)</c>); the range then reads as zeros.
    /// False where the system or file system cannot punch holes.
    /// </summary>
    public static bool PunchHole(SafeFileHandle file, long offset, long length)
    {
        if (!OperatingSystem.IsLinux()) return false;
        const int punchHoleKeepSize = 0x02 | 0x01;
        var range = (offset, length);
        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            return NativeMethods.fallocate((int)file.DangerousGetHandle(), punchHoleKeepSize, range.offset, range.length) == 0;
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    private static int Call(SafeFileHandle handle, Func<int, int> call)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return call((int)handle.DangerousGetHandle()) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static IOException Failure(string call, string path, int errno) =>
        new($"{call} failed for {path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int syncfs(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int fdatasync(int fd);

        [DllImport("libc", SetLastError = true)]
        public static extern int fallocate(int fd, int mode, long offset, long length);
    }
}
