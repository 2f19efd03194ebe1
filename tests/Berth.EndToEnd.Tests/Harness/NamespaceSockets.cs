using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// Sockets made inside a test's network namespace from the test process itself: a socket belongs to
/// the namespace its creating thread was in, so one thread enters it (setns), makes the socket and leaves.
/// Servers the tests write (a token server, a proxy) can so listen where only the daemon sees them.
/// </summary>
public static partial class NamespaceSockets
{
    private const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    /// <summary>A TCP listener on <c>127.0.0.1</c> (or <paramref name="address"/>) in the namespace, on a port of the kernel's choosing.</summary>
    public static Socket Listen(NetworkNamespace ns, string address = "127.0.0.1") => InNamespace(ns, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        socket.Listen(64);
        return socket;
    });

    /// <summary>
    /// Accepts connections until <paramref name="stop"/> is cancelled or the listener is closed,
    /// handing each to <paramref name="serve"/> without waiting for it.
    /// </summary>
    public static async Task AcceptUntilStoppedAsync(Socket listener, Func<Socket, Task> serve, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = serve(client);
        }
    }

    /// <summary>An unconnected TCP socket of the namespace, to connect to its addresses.</summary>
    public static Socket Client(NetworkNamespace ns) =>
        InNamespace(ns, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));

    private static T InNamespace<T>(NetworkNamespace ns, Func<T> make)
    {
        T? result = default;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle(ns.Path);
                // The thread is discarded afterwards, so it need not find its way back to the host's namespace.
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns {ns.Path}: errno {Marshal.GetLastPInvokeError()}");
                result = make();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
        return result!;
    }
}
