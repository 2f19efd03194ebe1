using System.Net;
using System.Text;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Images.Digests;
using Berth.Images.Registry;
using Berth.Images.Registry.Transport;

namespace Berth.Images.Tests;

public sealed class RegistryTransportTests
{
    /// <summary>Host names resolved without DNS, so that no test asks a resolver outside loopback.</summary>
    private static Task<IPAddress[]> Resolve(string host, CancellationToken ct) =>
        Task.FromResult<IPAddress[]>(host == "localhost" ? [IPAddress.Loopback, IPAddress.IPv6Loopback] : []);

    private static RegistryTransport Transport(RegistrySettings settings) => new(settings, TimeProvider.System, Resolve);

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("[::1]:5000", false)]
    [InlineData("10.1.2.3:5000", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("192.168.0.1:5000", false)]
    [InlineData("myregistry:5000", true)]
    [InlineData("myregistry:5001", false)]
    [InlineData("plain.example:443", true)]
    public async Task Insecure_registries_match_by_name_or_address_as_in_dockerd(string host, bool insecure)
    {
        var registries = new InsecureRegistries(["10.0.0.0/8", "myregistry:5000", "http://plain.example:443"], Resolve);
        Assert.Equal(insecure, await registries.IsInsecureAsync(host, CancellationToken.None));
    }

    [Fact]
    public async Task Endpoints_list_mirrors_then_the_hub_and_http_after_https_for_insecure_registries()
    {
        using var transport = Transport(new RegistrySettings { Mirrors = ["http://127.0.0.1:5001", "https://mirror.example"] });
        var hub = await RegistryEndpoints.ForAsync(transport, "docker.io", CancellationToken.None);
        Assert.Equal(["http://127.0.0.1:5001/", "https://mirror.example/", "https://registry-1.docker.io/"], hub.Select(e => e.BaseUri.ToString()));
        Assert.Equal([true, true, false], hub.Select(e => e.IsMirror));
        Assert.False(hub[^1].SkipTlsVerify);

        var local = await RegistryEndpoints.ForAsync(transport, "127.0.0.1:5000", CancellationToken.None);
        Assert.Equal(["https://127.0.0.1:5000/", "http://127.0.0.1:5000/"], local.Select(e => e.BaseUri.ToString()));
        Assert.All(local, e => Assert.True(e.SkipTlsVerify));

        var secure = Assert.Single(await RegistryEndpoints.ForAsync(transport, "192.168.7.7:5000", CancellationToken.None));
        Assert.Equal("https://192.168.7.7:5000/", secure.BaseUri.ToString());
        Assert.Equal("192.168.7.7:5000", secure.HostAndPort);
    }

    [Fact]
    public async Task A_pull_falls_back_from_https_to_http_for_an_insecure_registry()
    {
        await using var server = new LoopbackHttpServer(context => LoopbackHttpServer.WriteAsync(context, 200, "{}"));
        using var transport = Transport(new RegistrySettings());
        var endpoints = await RegistryEndpoints.ForAsync(transport, server.Host, CancellationToken.None);
        var https = await new RegistryClient(transport.ClientFor(endpoints[0])).PingAsync(endpoints[0].BaseUri, authenticate: false, CancellationToken.None);
        Assert.False(https.Reached);
        Assert.StartsWith($"Get \"https://{server.Host}/v2/\": ", https.Failure!.Message);
        var http = await new RegistryClient(transport.ClientFor(endpoints[1])).PingAsync(endpoints[1].BaseUri, authenticate: false, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, http.Status);
    }

    [Fact]
    public async Task Connection_failures_are_worded_as_dockerd_words_them()
    {
        var port = Random.Shared.Next(20000, 40000);
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, port);
        listener.Start();
        listener.Stop();
        using var transport = Transport(new RegistrySettings());
        var endpoint = new RegistryEndpoint(new Uri($"http://127.0.0.1:{port}/"), SkipTlsVerify: true, IsMirror: false);
        var ping = await new RegistryClient(transport.ClientFor(endpoint)).PingAsync(endpoint.BaseUri, authenticate: false, CancellationToken.None);
        Assert.Equal($"Get \"http://127.0.0.1:{port}/v2/\": dial tcp 127.0.0.1:{port}: connect: connection refused", ping.Failure!.Message);
    }

    /// <summary>A blob server that drops the first download halfway; <paramref name="honourRange"/> decides whether it answers a Range with 206.</summary>
    private static LoopbackHttpServer BlobServer(byte[] blob, bool honourRange, List<string?> ranges, int dropsBeforeServing = 1)
    {
        var drops = 0;
        return new LoopbackHttpServer(async context =>
        {
            var range = context.Request.Headers["Range"];
            lock (ranges) ranges.Add(range);
            var offset = honourRange && range is not null ? int.Parse(range["bytes=".Length..].TrimEnd('-')) : 0;
            context.Response.StatusCode = offset > 0 ? 206 : 200;
            context.Response.ContentLength64 = blob.Length - offset;
            if (Interlocked.Increment(ref drops) <= dropsBeforeServing)
            {
                await context.Response.OutputStream.WriteAsync(blob.AsMemory(offset, (blob.Length - offset) / 2));
                await context.Response.OutputStream.FlushAsync();
                context.Response.Abort();
                return;
            }
            await context.Response.OutputStream.WriteAsync(blob.AsMemory(offset));
        });
    }

    private static async Task<(string Output, Exception? Failure)> DownloadAsync(LoopbackHttpServer server, byte[] blob, string path, int attempts = 5)
    {
        using var transport = Transport(new RegistrySettings { RetryDelayStep = TimeSpan.FromMilliseconds(10), MaxDownloadAttempts = attempts });
        var endpoint = new RegistryEndpoint(new Uri($"http://{server.Host}/"), SkipTlsVerify: true, IsMirror: false);
        using var output = new MemoryStream();
        var downloader = new LayerDownloader(new RegistryClient(transport.ClientFor(endpoint)), endpoint.Repository("a/b"), transport.Settings, new JsonMessageWriter(output));
        Exception? failure = null;
        try
        {
            await downloader.DownloadAsync(Digest.Sha256(blob), blob.Length, "layer", path, CancellationToken.None);
        }
        catch (BerthException e)
        {
            failure = e;
        }
        return (Encoding.UTF8.GetString(output.ToArray()), failure);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_dropped_download_is_resumed_or_restarted_and_checked(bool honourRange)
    {
        var blob = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(blob);
        var ranges = new List<string?>();
        await using var server = BlobServer(blob, honourRange, ranges);
        using var dir = new TempDirectory();
        var path = dir.Combine("layer");

        var (output, failure) = await DownloadAsync(server, blob, path);
        Assert.Null(failure);
        Assert.Equal(blob, await File.ReadAllBytesAsync(path));
        Assert.Contains("\"status\":\"Retrying in 1 second\"", output);
        Assert.Contains("Download complete", output);
        Assert.Equal(2, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.StartsWith("bytes=", ranges[1]);
        Assert.NotEqual("bytes=0-", ranges[1]);
    }

    [Fact]
    public async Task Retries_are_bounded()
    {
        var blob = new byte[256 * 1024];
        var ranges = new List<string?>();
        await using var server = BlobServer(blob, honourRange: true, ranges, dropsBeforeServing: int.MaxValue);
        using var dir = new TempDirectory();
        var (_, failure) = await DownloadAsync(server, blob, dir.Combine("layer"), attempts: 3);
        Assert.NotNull(failure);
        Assert.Equal(3, ranges.Count);
    }
}
