using Berth.Network.Native;

namespace Berth.Network.Namespaces;

/// <summary>
/// Runs work inside another network namespace. Linux binds a namespace to a thread, so the work
/// runs on a thread of its own that enters the namespace and ends with it; sockets it opens
/// (netlink, DNS) stay in that namespace for life.
/// </summary>
public static class NetworkNamespace
{
    /// <summary>The namespace file of a process: <c>/proc/PID/ns/net</c>.</summary>
    public static string OfProcess(int pid) => $"/proc/{pid}/ns/net";

    /// <summary>Opens a namespace file (for <c>IFLA_NET_NS_FD</c>); close it with <see cref="Close"/>.</summary>
    public static int Open(string path)
    {
        var fd = NetLibc.open(path, NetLibc.O_RDONLY | NetLibc.O_CLOEXEC);
        if (fd < 0) throw NetLibc.LastError($"open {path}");
        return fd;
    }

    public static void Close(int fd) => NetLibc.close(fd);

    /// <summary>Runs <paramref name="work"/> on a new thread inside the namespace at <paramref name="path"/>.</summary>
    public static Task<T> RunAsync<T>(string path, Func<T> work)
    {
        var fd = Open(path);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                if (NetLibc.setns(fd, NetLibc.CLONE_NEWNET) != 0) throw NetLibc.LastError($"setns {path}");
                done.SetResult(work());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
            finally
            {
                NetLibc.close(fd);
            }
        }, 256 * 1024) { IsBackground = true, Name = "netns" };
        thread.Start();
        return done.Task;
    }
}
