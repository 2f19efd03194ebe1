using System.Net;

namespace Berth.Images.Tests;

/// <summary>An HttpListener on 127.0.0.1 that hands every request to the test's handler, for registry client tests.</summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;

    public LoopbackHttpServer(Func<HttpListenerContext, Task> handler)
    {
        for (var attempt = 0; ; attempt++)
        {
            Port = Random.Shared.Next(40000, 60000);
            _listener = new HttpListener();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 10)
            {
                _listener.Close();
            }
        }
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handler(context);
                        context.Response.Close();
                    }
                    catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
                    {
                        // The handler cut the connection on purpose, or the client went away.
                    }
                });
            }
        });
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public static async Task WriteAsync(HttpListenerContext context, int status, string body, string contentType = "application/json")
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
