using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Http;

/// <summary>One API request: route values, the negotiated API version, and Docker's conventions for query values and bodies.</summary>
public sealed class ApiContext(HttpContext http, IReadOnlyDictionary<string, string> route, ApiVersion version)
{
    public HttpContext Http { get; } = http;
    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;
    public ApiVersion Version { get; } = version;
    public CancellationToken Aborted => Http.RequestAborted;

    public string Route(string name) => route[name];

    public string? Query(string name) => Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public IReadOnlyList<string> QueryAll(string name) =>
        Request.Query.TryGetValue(name, out var values) ? values.Where(v => v is not null).Select(v => v!).ToList() : [];

    /// <summary>Docker's boolean query values: absent gives the fallback; "", "0", "no", "false" and "none" are false.</summary>
    public bool QueryBool(string name, bool fallback = false)
    {
        if (!Request.Query.TryGetValue(name, out var values)) return fallback;
        var text = values.ToString().Trim().ToLowerInvariant();
        return text is not ("" or "0" or "no" or "false" or "none");
    }

    public FilterArgs Filters() => FilterArgs.Parse(Query("filters"));

    public async Task<T> ReadJsonAsync<T>(JsonTypeInfo<T> type)
    {
        try
        {
            var body = LiftedUpgradeBody() is { } lifted ? new MemoryStream(lifted, writable: false) : Request.Body;
            return await JsonSerializer.DeserializeAsync(body, type, Aborted).ConfigureAwait(false)
                   ?? throw BerthException.InvalidParameter("invalid JSON: the body is null");
        }
        catch (JsonException e)
        {
            throw BerthException.InvalidParameter($"invalid JSON: {e.Message}");
        }
    }

    /// <summary>Whether this upgrade request came with a body (kept aside by <see cref="UpgradeBodyLifter"/>).</summary>
    public bool HasLiftedBody => LiftedUpgradeBody() is not null;

    /// <summary>The body of an upgrade request, which <see cref="UpgradeBodyLifter"/> kept out of Kestrel's sight.</summary>
    private byte[]? LiftedUpgradeBody() =>
        Http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
        && Http.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items.TryGetValue(UpgradeBodyLifter.ItemKey, out var item) == true
            ? (item as UpgradeBodyLifter)?.Body
            : null;

    /// <summary>Writes a JSON body followed by a newline, as Go's encoder does, in one write.</summary>
    public async Task WriteJsonAsync<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK)
    {
        Response.StatusCode = status;
        Response.ContentType = "application/json";
        var line = JsonLine(value, type);
        Response.ContentLength = line.Length;
        await Response.Body.WriteAsync(line, Aborted).ConfigureAwait(false);
    }

    /// <summary>One more JSON object and its newline on a streamed answer (stats, wait), flushed so the client sees it at once.</summary>
    public async Task WriteJsonLineAsync<T>(T value, JsonTypeInfo<T> type)
    {
        await Response.Body.WriteAsync(JsonLine(value, type), Aborted).ConfigureAwait(false);
        await Response.Body.FlushAsync(Aborted).ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> JsonLine<T>(T value, JsonTypeInfo<T> type)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
            JsonSerializer.Serialize(json, value, type);
        buffer.GetSpan(1)[0] = (byte)'\n';
        buffer.Advance(1);
        return buffer.WrittenMemory;
    }

    public void Status(int status) => Response.StatusCode = status;

    /// <summary>
    /// Takes over the connection for a raw two-way stream, as dockerd's attach and exec do: a
    /// <c>101 UPGRADED</c> when the client asked to upgrade, else a plain 200 whose request body
    /// is the input.
    /// </summary>
    public async Task<Stream> HijackAsync(string contentType)
    {
        if (Http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
        {
            Response.Headers.ContentType = contentType;
            Response.Headers.Upgrade = "tcp";
            var halfClose = Http.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionItemsFeature>()?.Items.TryGetValue(HalfClose.ItemKey, out var item) == true
                ? item as HalfClose : null;
            if (halfClose is not null) halfClose.Hijacked = true;
            var upgraded = await upgrade.UpgradeAsync().ConfigureAwait(false);
            return new HijackedStream(upgraded, upgraded, halfClose?.InputEnded ?? Task.Delay(Timeout.Infinite, CancellationToken.None));
        }
        Response.StatusCode = StatusCodes.Status200OK;
        Response.ContentType = contentType;
        await Response.StartAsync(Aborted).ConfigureAwait(false);
        await Response.Body.FlushAsync(Aborted).ConfigureAwait(false);
        // Without an upgrade the request body is the input; its end is the end of input.
        return new HijackedStream(Request.Body, Response.Body, Task.Delay(Timeout.Infinite, CancellationToken.None));
    }

    /// <summary>Starts a JSON progress stream (200, application/json).</summary>
    public JsonMessageWriter BeginJsonStream()
    {
        Response.StatusCode = StatusCodes.Status200OK;
        Response.ContentType = "application/json";
        return new JsonMessageWriter(Response.Body);
    }
}
