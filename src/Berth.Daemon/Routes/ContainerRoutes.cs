using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Berth.Engine.Logs;
using Berth.Engine.Streams;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>The <c>/containers</c> endpoints: each turns HTTP into one <see cref="ContainerEngine"/> call and back.</summary>
public sealed class ContainerRoutes(ContainerEngine containers)
{
    public void Register(ApiRouter router)
    {
        router.Post("/containers/create", CreateAsync);
        router.Get("/containers/json", async c => await c.WriteJsonAsync(
            await containers.ListAsync(c.QueryBool("all"), QueryInt(c, "limit") ?? -1, c.QueryBool("size"), c.Filters(), DateTime.UtcNow, c.Aborted).ConfigureAwait(false),
            WireJson.Default.ListContainerSummary).ConfigureAwait(false));
        router.Get("/containers/{id}/json", async c => await c.WriteJsonAsync(
            await containers.InspectAsync(c.Route("id"), c.QueryBool("size"), c.Aborted).ConfigureAwait(false), WireJson.Default.ContainerInspect).ConfigureAwait(false));
        router.Post("/containers/{id}/start", async c =>
            c.Status(await containers.StartAsync(c.Route("id"), c.Aborted).ConfigureAwait(false) ? StatusCodes.Status204NoContent : StatusCodes.Status304NotModified));
        router.Post("/containers/{id}/stop", async c =>
            c.Status(await containers.StopAsync(c.Route("id"), c.Query("signal"), QueryInt(c, "t"), c.Aborted).ConfigureAwait(false) ? StatusCodes.Status204NoContent : StatusCodes.Status304NotModified));
        router.Post("/containers/{id}/restart", async c =>
        {
            await containers.RestartAsync(c.Route("id"), c.Query("signal"), QueryInt(c, "t"), c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status204NoContent);
        });
        router.Post("/containers/{id}/kill", async c =>
        {
            await containers.KillAsync(c.Route("id"), c.Query("signal"), c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status204NoContent);
        });
        router.Post("/containers/{id}/wait", WaitAsync);
        router.Delete("/containers/{id}", async c =>
        {
            await containers.RemoveAsync(c.Route("id"), c.QueryBool("force"), c.QueryBool("v"), c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status204NoContent);
        });
        router.Post("/containers/{id}/rename", async c =>
        {
            await containers.RenameAsync(c.Route("id"), c.Query("name") ?? "", c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status204NoContent);
        });
        router.Get("/containers/{id}/logs", LogsAsync);
        router.Post("/containers/{id}/attach", AttachAsync);
    }

    private async Task CreateAsync(ApiContext c)
    {
        var request = await c.ReadJsonAsync(WireJson.Default.ContainerCreateRequest).ConfigureAwait(false);
        var created = await containers.CreateAsync(request, c.Query("name"), c.Aborted).ConfigureAwait(false);
        await c.WriteJsonAsync(created, WireJson.Default.ContainerCreateResponse, StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private async Task WaitAsync(ApiContext c)
    {
        var condition = ContainerEngine.ParseWaitCondition(c.Query("condition"));
        var id = containers.Get(c.Route("id")).Id;
        // As dockerd: the headers go out at once, so a client knows the wait is in place before it starts the container.
        c.Response.StatusCode = StatusCodes.Status200OK;
        c.Response.ContentType = "application/json";
        await c.Response.StartAsync(c.Aborted).ConfigureAwait(false);
        await c.Response.Body.FlushAsync(c.Aborted).ConfigureAwait(false);
        var result = await containers.WaitAsync(id, condition, c.Aborted).ConfigureAwait(false);
        await c.WriteJsonLineAsync(result, WireJson.Default.ContainerWaitResponse).ConfigureAwait(false);
    }

    private async Task LogsAsync(ApiContext c)
    {
        var id = c.Route("id");
        var now = DateTimeOffset.UtcNow;
        var options = new LogReadOptions
        {
            Stdout = c.QueryBool("stdout"),
            Stderr = c.QueryBool("stderr"),
            Follow = c.QueryBool("follow"),
            Timestamps = c.QueryBool("timestamps"),
            Tail = c.Query("tail") is { Length: > 0 } tail && tail != "all" && int.TryParse(tail, out var n) && n >= 0 ? n : null,
            Since = c.Query("since") is { Length: > 0 } since && since != "0" ? Timestamps.Parse(since, now) : null,
            Until = c.Query("until") is { Length: > 0 } until && until != "0" ? Timestamps.Parse(until, now) : null,
        };
        if (!options.Stdout && !options.Stderr) throw BerthException.InvalidParameter("Bad parameters: you must choose at least one stream");
        var tty = containers.IsTty(id);
        var entries = containers.LogsAsync(id, options, c.Aborted);
        c.Response.StatusCode = StatusCodes.Status200OK;
        // dockerd names the log stream's type only from API 1.42 on; before, the answer had no Content-Type.
        if (c.Version >= new ApiVersion(1, 42)) c.Response.ContentType = StreamContentType(c, tty);
        await c.Response.StartAsync(c.Aborted).ConfigureAwait(false);
        await c.Response.Body.FlushAsync(c.Aborted).ConfigureAwait(false);
        var writer = new MultiplexedWriter(c.Response.Body, tty);
        await foreach (var entry in entries.ConfigureAwait(false))
        {
            var content = options.Timestamps ? WithTimestamp(entry) : entry.Content;
            await writer.WriteAsync(entry.Stream, content, c.Aborted).ConfigureAwait(false);
            if (options.Follow) await writer.FlushAsync(c.Aborted).ConfigureAwait(false);
        }
    }

    /// <summary>dockerd's <c>-t</c> prefix: RFC 3339 in UTC with nine fraction digits, then a space.</summary>
    private static byte[] WithTimestamp(LogEntry entry)
    {
        var stamp = entry.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z '", System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[stamp.Length + entry.Content.Length];
        System.Text.Encoding.ASCII.GetBytes(stamp, bytes);
        entry.Content.Span.CopyTo(bytes.AsSpan(stamp.Length));
        return bytes;
    }

    private async Task AttachAsync(ApiContext c)
    {
        var container = containers.Get(c.Route("id"));
        var options = new AttachOptions(c.QueryBool("stdin"), c.QueryBool("stdout"), c.QueryBool("stderr"), c.QueryBool("stream"), c.QueryBool("logs"),
            DetachKeys.Parse(c.Query("detachKeys")));
        // Not c.Aborted: the docker CLI half-closes an attach it sends no input on, and Kestrel
        // counts that as an aborted request. A client that is really gone shows as a failed write.
        await containers.AttachAsync(container.Id, options, () => c.HijackAsync(StreamContentType(c, container.Record.Config.Tty)), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>dockerd names the multiplexed format from API 1.42 on; before, every stream was "raw".</summary>
    internal static string StreamContentType(ApiContext c, bool tty) =>
        !tty && c.Version >= new ApiVersion(1, 42) ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream";

    private static int? QueryInt(ApiContext c, string name) =>
        c.Query(name) is { Length: > 0 } text ? int.TryParse(text, out var n) ? n : throw BerthException.InvalidParameter($"invalid value for {name}: {text}") : null;
}
