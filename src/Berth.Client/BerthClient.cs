using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api.Json;
using Berth.Api.Wire;
using Berth.Api.Wire.Daemon;
using Berth.Api.Wire.Images;

namespace Berth.Client;

/// <summary>
/// A client of the Engine API. <c>unix:///path</c> and <c>tcp://host:port</c> addresses, as in
/// <c>DOCKER_HOST</c>; requests use the daemon's API version prefix. Error statuses throw
/// <see cref="EngineApiException"/> with the daemon's message.
/// </summary>
public sealed class BerthClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _prefix;

    public BerthClient(string host, string apiVersion = "1.47")
    {
        _prefix = $"/v{apiVersion}";
        var handler = new SocketsHttpHandler();
        Uri baseAddress;
        if (host.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = host["unix://".Length..];
            handler.ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker");
        }
        else if (host.StartsWith("tcp://", StringComparison.Ordinal))
        {
            baseAddress = new Uri("http://" + host["tcp://".Length..]);
        }
        else
        {
            throw new ArgumentException($"unsupported host address {host}", nameof(host));
        }
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public static BerthClient FromEnvironment() =>
        new(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///run/berth/berth.sock");

    public async Task<string> PingAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/_ping", null, ct, versioned: false).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }

    public Task<SystemVersion> VersionAsync(CancellationToken ct = default) => GetJsonAsync("/version", WireJson.Default.SystemVersion, ct);

    public Task<SystemInfo> InfoAsync(CancellationToken ct = default) => GetJsonAsync("/info", WireJson.Default.SystemInfo, ct);

    public Task<List<ImageSummary>> ListImagesAsync(bool all = false, string? filtersJson = null, CancellationToken ct = default) =>
        GetJsonAsync($"/images/json?all={(all ? 1 : 0)}{(filtersJson is null ? "" : "&filters=" + Uri.EscapeDataString(filtersJson))}",
            WireJson.Default.ListImageSummary, ct);

    public Task<ImageInspect> InspectImageAsync(string name, CancellationToken ct = default) =>
        GetJsonAsync($"/images/{name}/json", WireJson.Default.ImageInspect, ct);

    public Task<List<HistoryResponseItem>> ImageHistoryAsync(string name, CancellationToken ct = default) =>
        GetJsonAsync($"/images/{name}/history", WireJson.Default.ListHistoryResponseItem, ct);

    public async Task TagImageAsync(string name, string repository, string? tag = null, CancellationToken ct = default)
    {
        var query = $"?repo={Uri.EscapeDataString(repository)}{(tag is null ? "" : "&tag=" + Uri.EscapeDataString(tag))}";
        using var _ = await SendAsync(HttpMethod.Post, $"/images/{name}/tag{query}", null, ct).ConfigureAwait(false);
    }

    public async Task<List<ImageDeleteResponseItem>> RemoveImageAsync(string name, bool force = false, bool noPrune = false, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/images/{name}?force={(force ? 1 : 0)}&noprune={(noPrune ? 1 : 0)}", null, ct).ConfigureAwait(false);
        return await ReadJsonAsync(response, WireJson.Default.ListImageDeleteResponseItem, ct).ConfigureAwait(false);
    }

    public async Task<ImagesPruneResponse> PruneImagesAsync(string? filtersJson = null, CancellationToken ct = default)
    {
        using var response = await SendAsync(HttpMethod.Post, "/images/prune" + (filtersJson is null ? "" : "?filters=" + Uri.EscapeDataString(filtersJson)), null, ct).ConfigureAwait(false);
        return await ReadJsonAsync(response, WireJson.Default.ImagesPruneResponse, ct).ConfigureAwait(false);
    }

    /// <summary>Loads an image archive; returns the progress messages, or throws the stream's error.</summary>
    public async Task<List<JsonMessage>> LoadImagesAsync(Stream archive, bool quiet = true, CancellationToken ct = default)
    {
        var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await SendAsync(HttpMethod.Post, $"/images/load?quiet={(quiet ? 1 : 0)}", content, ct).ConfigureAwait(false);
        return await ReadMessagesAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Imports a filesystem tarball as an image; returns the new image ID.</summary>
    public async Task<string> ImportImageAsync(Stream tarball, string? repository = null, string? tag = null, string? message = null,
        IEnumerable<string>? changes = null, CancellationToken ct = default)
    {
        var query = new List<string> { "fromSrc=-" };
        if (repository is not null) query.Add("repo=" + Uri.EscapeDataString(repository));
        if (tag is not null) query.Add("tag=" + Uri.EscapeDataString(tag));
        if (message is not null) query.Add("message=" + Uri.EscapeDataString(message));
        query.AddRange((changes ?? []).Select(c => "changes=" + Uri.EscapeDataString(c)));
        var content = new StreamContent(tarball);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        using var response = await SendAsync(HttpMethod.Post, "/images/create?" + string.Join('&', query), content, ct).ConfigureAwait(false);
        var messages = await ReadMessagesAsync(response, ct).ConfigureAwait(false);
        return messages.Last(m => m.Status is not null).Status!;
    }

    /// <summary>
    /// Builds an image with the classic builder from a context tar (plain or compressed) and the
    /// query parameters of <c>POST /build</c> (t, dockerfile, buildargs, nocache…); returns the
    /// progress messages, or throws the stream's error.
    /// </summary>
    public async Task<List<JsonMessage>> BuildImageAsync(Stream context, IEnumerable<KeyValuePair<string, string>>? query = null, CancellationToken ct = default)
    {
        var content = new StreamContent(context);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
        var text = string.Join('&', (query ?? []).Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        using var response = await SendAsync(HttpMethod.Post, "/build" + (text.Length > 0 ? "?" + text : ""), content, ct).ConfigureAwait(false);
        return await ReadMessagesAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Saves images to an archive; the caller reads and disposes the stream.</summary>
    public async Task<Stream> SaveImagesAsync(IEnumerable<string> names, CancellationToken ct = default)
    {
        var query = string.Join('&', names.Select(n => "names=" + Uri.EscapeDataString(n)));
        var response = await SendAsync(HttpMethod.Get, "/images/get?" + query, null, ct, completeContent: false).ConfigureAwait(false);
        return await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sends a raw request (path without version prefix) and returns the response, error statuses included.</summary>
    public Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, HttpContent? content = null, CancellationToken ct = default) =>
        _http.SendAsync(new HttpRequestMessage(method, path) { Content = content }, HttpCompletionOption.ResponseHeadersRead, ct);

    private async Task<T> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false);
        return await ReadJsonAsync(response, type, ct).ConfigureAwait(false);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken ct)
    {
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(body, type, ct).ConfigureAwait(false)
               ?? throw new EngineApiException(response.StatusCode, "empty response");
    }

    private static async Task<List<JsonMessage>> ReadMessagesAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var messages = new List<JsonMessage>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Trim().Length == 0) continue;
            var message = JsonSerializer.Deserialize(line, WireJson.Default.JsonMessage)!;
            if (message.Error is { } error) throw new EngineStreamException(error);
            messages.Add(message);
        }
        return messages;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct,
        bool versioned = true, bool completeContent = true)
    {
        var request = new HttpRequestMessage(method, (versioned ? _prefix : "") + path) { Content = content };
        var response = await _http.SendAsync(request, completeContent ? HttpCompletionOption.ResponseContentRead : HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            string message;
            try
            {
                message = JsonSerializer.Deserialize(body, WireJson.Default.ErrorResponse)?.Message ?? body;
            }
            catch (JsonException)
            {
                message = body.Trim();
            }
            throw new EngineApiException(response.StatusCode, message);
        }
    }

    public void Dispose() => _http.Dispose();
}
