using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>A request as <see cref="MiniHttpServer"/> hands it to its handler: method, path, query and headers.</summary>
public sealed record MiniHttpRequest(string Method, string Path, IReadOnlyList<KeyValuePair<string, string>> Query, IReadOnlyDictionary<string, string> Headers,
    string Body = "")
{
    /// <summary>The body's <c>application/x-www-form-urlencoded</c> fields.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Form => MiniHttpServer.ParsePairs(Body);
}

/// <summary>An answer: status, content type and body.</summary>
public sealed record MiniHttpResponse(int Status, string Body, string ContentType = "application/json");

/// <summary>
/// A small HTTP/1.1 server on a socket of the test's network namespace: one request per connection
/// (it answers <c>Connection: close</c>), bodies by Content-Length only. Enough for a token server.
/// </summary>
public sealed class MiniHttpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<MiniHttpRequest, MiniHttpResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public MiniHttpServer(NetworkNamespace ns, Func<MiniHttpRequest, MiniHttpResponse> handler)
    {
        _listener = NamespaceSockets.Listen(ns);
        _handler = handler;
        _loop = NamespaceSockets.AcceptUntilStoppedAsync(_listener, ServeAsync, _stop.Token);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    private async Task ServeAsync(Socket client)
    {
        await using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var head = await ReadHeadAsync(stream);
            var lines = head.Split("\r\n");
            var parts = lines[0].Split(' ');
            var target = parts[1];
            var question = target.IndexOf('?');
            var path = question < 0 ? target : target[..question];
            var query = question < 0 ? [] : ParsePairs(target[(question + 1)..]);
            var headers = lines.Skip(1).Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')].Trim(), l => l[(l.IndexOf(':') + 1)..].Trim(), StringComparer.OrdinalIgnoreCase);
            var body = new byte[headers.TryGetValue("Content-Length", out var length) ? int.Parse(length) : 0];
            await stream.ReadExactlyAsync(body);
            var response = _handler(new MiniHttpRequest(parts[0], path, query, headers, Encoding.UTF8.GetString(body)));
            var answer = Encoding.UTF8.GetBytes(response.Body);
            var reply = Encoding.ASCII.GetBytes($"HTTP/1.1 {response.Status} {(HttpStatusCode)response.Status}\r\nContent-Type: {response.ContentType}\r\nContent-Length: {answer.Length}\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(reply.Concat(answer).ToArray());
        }
        catch (Exception e) when (e is IOException or SocketException or IndexOutOfRangeException or FormatException)
        {
            // The client went away or sent garbage; nothing to answer.
        }
    }

    /// <summary><c>a=1&amp;b=x+y</c> as pairs, unescaped.</summary>
    public static List<KeyValuePair<string, string>> ParsePairs(string text) =>
        text.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .Select(p => KeyValuePair.Create(Uri.UnescapeDataString(p[0]), p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "")).ToList();

    private static async Task<string> ReadHeadAsync(Stream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 64 * 1024 && await stream.ReadAsync(one) == 1)
        {
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n') break;
        }
        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
