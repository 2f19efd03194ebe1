using System.Runtime.InteropServices;

namespace Berth.Runtime.Native;

/// <summary>
/// The libc calls the runtime driver needs and .NET does not wrap: process spawning with exact
/// file descriptors, pipes, reaping, pidfds and epoll. Failures throw <see cref="IOException"/>
/// naming the call and errno.
/// </summary>
internal static unsafe partial class Posix
{
    public const int O_CLOEXEC = 0x80000, O_NONBLOCK = 0x800, O_RDONLY = 0, O_RDWR = 2, O_WRONLY = 1;
    public const int EINTR = 4, ECHILD = 10, ESRCH = 3, EAGAIN = 11;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    public const int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 1;

    // glibc's opaque types are smaller than these; the extra room costs nothing.
    private const int SpawnFileActionsSize = 256, SpawnAttrSize = 512, SigsetSize = 128;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newFd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawn_file_actions_addclose(void* actions, int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawnattr_init(void* attr);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawnattr_destroy(void* attr);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawnattr_setflags(void* attr, short flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawnattr_setsigdefault(void* attr, void* sigset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_spawnattr_setsigmask(void* attr, void* sigset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigfillset(void* set);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sigemptyset(void* set);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int pipe2(int* fds, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, out int status, int options);

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long a, long b);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epfd, int op, int fd, EpollEvent* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epfd, EpollEvent* events, int maxEvents, int timeout);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string path, int flags, uint mask, byte* buffer);

    /// <summary>A file's type and permission bits, owner and device numbers (without following a final link when asked).</summary>
    public readonly record struct FileStat(uint Mode, uint Uid, uint Gid, uint RdevMajor, uint RdevMinor)
    {
        public bool IsCharDevice => (Mode & 0xF000) == 0x2000;
        public bool IsBlockDevice => (Mode & 0xF000) == 0x6000;
        public bool IsDirectory => (Mode & 0xF000) == 0x4000;
    }

    public static FileStat? Stat(string path, bool followLinks = true)
    {
        const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
        const uint STATX_BASIC_STATS = 0x7ff;
        byte* buffer = stackalloc byte[256];
        if (statx(AT_FDCWD, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) != 0) return null;
        return new FileStat(*(ushort*)(buffer + 28), *(uint*)(buffer + 20), *(uint*)(buffer + 24), *(uint*)(buffer + 128), *(uint*)(buffer + 132));
    }

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    private static IOException Error(string call, int errno) =>
        new($"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="fds"/> as its descriptors 0, 1, 2, 3…
    /// (each source descriptor is duplicated onto its index; -1 is not allowed), no other
    /// descriptor inherited, every signal at its default disposition and none blocked — .NET
    /// ignores SIGPIPE, and that would otherwise reach the container's processes.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> args, IReadOnlyList<string> env, IReadOnlyList<int> fds, bool newSession)
    {
        var strings = new List<nint>();
        byte* actions = (byte*)NativeMemory.AllocZeroed(SpawnFileActionsSize);
        byte* attr = (byte*)NativeMemory.AllocZeroed(SpawnAttrSize);
        byte* signals = (byte*)NativeMemory.AllocZeroed(SigsetSize);
        byte** argv = (byte**)NativeMemory.AllocZeroed((nuint)(args.Count + 1), (nuint)sizeof(nint));
        byte** envp = (byte**)NativeMemory.AllocZeroed((nuint)(env.Count + 1), (nuint)sizeof(nint));
        try
        {
            byte* Utf8(string s)
            {
                var p = Marshal.StringToCoTaskMemUTF8(s);
                strings.Add(p);
                return (byte*)p;
            }
            for (var i = 0; i < args.Count; i++) argv[i] = Utf8(args[i]);
            for (var i = 0; i < env.Count; i++) envp[i] = Utf8(env[i]);

            Check("posix_spawn_file_actions_init", posix_spawn_file_actions_init(actions));
            // Sources are first moved above every source and target, so no dup2 clobbers a later source.
            var high = Math.Max(fds.Count == 0 ? 0 : fds.Max() + 1, fds.Count);
            for (var i = 0; i < fds.Count; i++)
                Check("posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(actions, fds[i], high + i));
            for (var i = 0; i < fds.Count; i++)
                Check("posix_spawn_file_actions_adddup2", posix_spawn_file_actions_adddup2(actions, high + i, i));
            for (var i = 0; i < fds.Count; i++)
                Check("posix_spawn_file_actions_addclose", posix_spawn_file_actions_addclose(actions, high + i));
            Check("posix_spawnattr_init", posix_spawnattr_init(attr));
            sigfillset(signals);
            Check("posix_spawnattr_setsigdefault", posix_spawnattr_setsigdefault(attr, signals));
            sigemptyset(signals);
            Check("posix_spawnattr_setsigmask", posix_spawnattr_setsigmask(attr, signals));
            var flags = (short)(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (newSession ? POSIX_SPAWN_SETSID : 0));
            Check("posix_spawnattr_setflags", posix_spawnattr_setflags(attr, flags));
            var rc = posix_spawn(out var pid, Utf8(path), actions, attr, argv, envp);
            if (rc != 0) throw Error($"spawn {path}", rc);
            return pid;
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            posix_spawnattr_destroy(attr);
            foreach (var p in strings) Marshal.FreeCoTaskMem(p);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(signals);
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
        }
    }

    private static void Check(string call, int rc)
    {
        if (rc != 0) throw Error(call, rc);
    }

    /// <summary>A close-on-exec pipe: (read end, write end).</summary>
    public static (int Read, int Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (pipe2(fds, O_CLOEXEC) != 0) throw Error("pipe2", Marshal.GetLastPInvokeError());
        return (fds[0], fds[1]);
    }

    public static void Close(int fd)
    {
        if (fd >= 0) close(fd);
    }

    /// <summary>Waits for a child to end and returns its exit code (128 + signal when killed).</summary>
    public static int WaitChild(int pid)
    {
        while (true)
        {
            if (waitpid(pid, out var status, 0) >= 0)
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) continue;
            // .NET's SIGCHLD handling may have reaped it first; its code is then unknowable.
            if (errno == ECHILD) return -1;
            throw Error("waitpid", errno);
        }
    }

    /// <summary>A pidfd for <paramref name="pid"/>, or -1 when the process no longer exists.</summary>
    public static int PidfdOpen(int pid)
    {
        const long SYS_pidfd_open = 434;
        var fd = syscall(SYS_pidfd_open, pid, 0);
        if (fd >= 0) return (int)fd;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH) return -1;
        throw Error("pidfd_open", errno);
    }

    /// <summary>Opens a fifo's writing end without waiting for a reader (-1 when nobody reads it).</summary>
    public static int OpenNonBlockingWrite(string path) => open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

    /// <summary>Sends a signal to the process a pidfd refers to; false when it has ended.</summary>
    public static bool PidfdSendSignal(int pidfd, int signal)
    {
        const long SYS_pidfd_send_signal = 424;
        if (syscall4(SYS_pidfd_send_signal, pidfd, signal, 0, 0) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH) return false;
        throw Error("pidfd_send_signal", errno);
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall4(long number, long a, long b, long c, long d);

    /// <summary>Sends a signal; false when the process does not exist.</summary>
    public static bool Kill(int pid, int signal)
    {
        if (kill(pid, signal) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == ESRCH) return false;
        throw Error("kill", errno);
    }

    public static int EpollCreate()
    {
        var fd = epoll_create1(O_CLOEXEC);
        if (fd < 0) throw Error("epoll_create1", Marshal.GetLastPInvokeError());
        return fd;
    }

    public static void EpollAdd(int epfd, int fd, ulong data)
    {
        var ev = new EpollEvent { Events = EPOLLIN, Data = data };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) throw Error("epoll_ctl", Marshal.GetLastPInvokeError());
    }

    public static void EpollRemove(int epfd, int fd) => epoll_ctl(epfd, EPOLL_CTL_DEL, fd, null);

    /// <summary>Waits for ready descriptors; returns the data words of those ready (empty on timeout or EINTR).</summary>
    public static int EpollWait(int epfd, Span<ulong> ready, int timeoutMs)
    {
        var events = stackalloc EpollEvent[ready.Length];
        var n = epoll_wait(epfd, events, ready.Length, timeoutMs);
        if (n < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EINTR) return 0;
            throw Error("epoll_wait", errno);
        }
        for (var i = 0; i < n; i++) ready[i] = events[i].Data;
        return n;
    }
}
