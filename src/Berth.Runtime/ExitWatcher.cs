using System.Collections.Concurrent;
using Berth.Runtime.Native;

namespace Berth.Runtime;

/// <summary>
/// Tells when processes that are not berthd's children end — the container monitors, which
/// outlive berthd — using one pidfd per process and a single epoll thread for all of them.
/// </summary>
public sealed class ExitWatcher : IDisposable
{
    private readonly int epoll = Posix.EpollCreate();
    private readonly ConcurrentDictionary<ulong, (int Pidfd, Action OnExit)> watched = new();
    private readonly Thread thread;
    private long nextToken;
    private volatile bool disposed;

    public ExitWatcher()
    {
        thread = new Thread(Loop) { IsBackground = true, Name = "exit-watcher" };
        thread.Start();
    }

    /// <summary>Calls <paramref name="onExit"/> once, on a pool thread, when <paramref name="pid"/> ends — at once if it already has.</summary>
    public void Watch(int pid, Action onExit)
    {
        var pidfd = Posix.PidfdOpen(pid);
        if (pidfd < 0)
        {
            ThreadPool.QueueUserWorkItem(_ => onExit());
            return;
        }
        var token = (ulong)Interlocked.Increment(ref nextToken);
        watched[token] = (pidfd, onExit);
        Posix.EpollAdd(epoll, pidfd, token);
    }

    private void Loop()
    {
        Span<ulong> ready = stackalloc ulong[64];
        while (!disposed)
        {
            var n = Posix.EpollWait(epoll, ready, 500);
            for (var i = 0; i < n; i++)
            {
                if (!watched.TryRemove(ready[i], out var entry)) continue;
                Posix.EpollRemove(epoll, entry.Pidfd);
                Posix.Close(entry.Pidfd);
                ThreadPool.QueueUserWorkItem(_ => entry.OnExit());
            }
        }
    }

    public void Dispose()
    {
        disposed = true;
        thread.Join();
        foreach (var (_, entry) in watched) Posix.Close(entry.Pidfd);
        Posix.Close(epoll);
    }
}
