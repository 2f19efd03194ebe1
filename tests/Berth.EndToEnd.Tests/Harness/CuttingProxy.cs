using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// A TCP proxy in a test's network namespace in front of a registry on its loopback. Once, it cuts
/// the connection that asked for <c>cutRequestFor</c> (say a blob's digest) after passing
/// <c>cutAfterBytes</c> of the answer; with <c>stayDownAfterCut</c> it then stops accepting, as a
/// registry that went down. It records the Range requests it forwards.
/// </summary>
public sealed partial class CuttingProxy : IAsyncDisposable
{
    private readonly NetworkNamespace _ns;
    private readonly int _upstreamPort;
    private readonly string _cutRequestFor;
    private readonly long _cutAfterBytes;
    private readonly bool _stayDownAfterCut;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly List<long> _rangeStarts = [];
    private readonly Task _loop;
    private int _cut;

    public CuttingProxy(NetworkNamespace ns, int upstreamPort, string cutRequestFor, long cutAfterBytes, bool stayDownAfterCut = false)
    {
        _ns = ns;
        _upstreamPort = upstreamPort;
        _cutRequestFor = cutRequestFor;
        _cutAfterBytes = cutAfterBytes;
        _stayDownAfterCut = stayDownAfterCut;
        _listener = NamespaceSockets.Listen(ns);
        Host = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";
        _loop = NamespaceSockets.AcceptUntilStoppedAsync(_listener, ConnectionAsync, _stop.Token);
    }

    public string Host { get; }

    public bool HasCut => Volatile.Read(ref _cut) == 1;

    /// <summary>The first byte of every <c>Range: bytes=N-</c> request passed on.</summary>
    public IReadOnlyList<long> RangeStarts
    {
        get
        {
            lock (_rangeStarts) return _rangeStarts.ToList();
        }
    }

    private async Task ConnectionAsync(Socket client)
    {
        var upstream = NamespaceSockets.Client(_ns);
        lock (_open) _open.AddRange([client, upstream]);
        try
        {
            await upstream.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _upstreamPort));
            var armed = new Armed();
            await Task.WhenAny(RequestsAsync(client, upstream, armed), AnswersAsync(upstream, client, armed));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // One side went away; the other is closed below.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }

    private async Task RequestsAsync(Socket from, Socket to, Armed armed)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await from.ReceiveAsync(buffer)) > 0)
        {
            var text = Encoding.ASCII.GetString(buffer, 0, n);
            foreach (Match range in RangeHeader().Matches(text))
                lock (_rangeStarts) _rangeStarts.Add(long.Parse(range.Groups[1].Value));
            if (!HasCut && text.Contains(_cutRequestFor, StringComparison.Ordinal)) armed.Value = true;
            await to.SendAsync(buffer.AsMemory(0, n));
        }
    }

    private async Task AnswersAsync(Socket from, Socket to, Armed armed)
    {
        var buffer = new byte[16 * 1024];
        long passed = 0;
        int n;
        while ((n = await from.ReceiveAsync(buffer)) > 0)
        {
            if (armed.Value)
            {
                var allowed = (int)Math.Min(n, _cutAfterBytes - passed);
                await to.SendAsync(buffer.AsMemory(0, allowed));
                passed += allowed;
                if (passed >= _cutAfterBytes && Interlocked.Exchange(ref _cut, 1) == 0)
                {
                    if (_stayDownAfterCut) await GoDownAsync();
                    return;
                }
                continue;
            }
            await to.SendAsync(buffer.AsMemory(0, n));
        }
    }

    /// <summary>Stops accepting and drops every open connection, kept-alive ones included.</summary>
    private async Task GoDownAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_open)
            foreach (var socket in _open) socket.Dispose();
    }

    [GeneratedRegex(@"(?i)range: bytes=(\d+)-")]
    private static partial Regex RangeHeader();

    public async ValueTask DisposeAsync()
    {
        await GoDownAsync();
        await _loop;
        _stop.Dispose();
    }

    /// <summary>Whether a connection has asked for the request to cut.</summary>
    private sealed class Armed
    {
        public bool Value { get; set; }
    }
}
