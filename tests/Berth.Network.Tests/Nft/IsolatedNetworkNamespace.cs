using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Berth.Network.Tests.Nft;

/// <summary>
/// Runs code on a thread of its own that first moves into a new, empty network namespace, so
/// nftables and links changed there never touch the host's. Sockets (an nft context's too) made on
/// the thread belong to the namespace for good, from whatever thread they are used, and keep it
/// alive after the thread ends. Child processes started from the thread inherit the namespace.
/// </summary>
internal static class IsolatedNetworkNamespace
{
    private const int CLONE_NEWNET = 0x40000000;

    public static void Run(Action body) => Run<object?>(() => { body(); return null; });

    public static T Run<T>(Func<T> body)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Unshare(CLONE_NEWNET) != 0)
                    throw new InvalidOperationException($"unshare(CLONE_NEWNET) failed: errno {Marshal.GetLastPInvokeError()}");
                result = body();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        })
        { IsBackground = true, Name = "netns test" };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>The calling thread's kernel id, which <c>ip link set … netns</c> accepts as a pid.</summary>
    public static int CurrentThreadId() => GetTid();

    // DllImport, not LibraryImport: the test project does not allow unsafe code, which the generator needs.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "unshare", SetLastError = true)]
    private static extern int Unshare(int flags);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
