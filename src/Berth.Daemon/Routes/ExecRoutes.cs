using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Api.Wire.Containers;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>The exec endpoints and TTY resizing: each turns HTTP into one <see cref="ContainerEngine"/> call and back.</summary>
public sealed class ExecRoutes(ContainerEngine containers)
{
    public void Register(ApiRouter router)
    {
        router.Post("/containers/{id}/exec", async c =>
        {
            var request = await c.ReadJsonAsync(WireJson.Default.ExecCreateRequest).ConfigureAwait(false);
            var id = containers.CreateExec(c.Route("id"), request);
            await c.WriteJsonAsync(new IdResponse { Id = id }, WireJson.Default.IdResponse, StatusCodes.Status201Created).ConfigureAwait(false);
        });
        router.Post("/exec/{id}/start", StartAsync);
        router.Get("/exec/{id}/json", async c =>
            await c.WriteJsonAsync(containers.InspectExec(c.Route("id")), WireJson.Default.ExecInspect).ConfigureAwait(false));
        router.Post("/exec/{id}/resize", async c =>
        {
            var (height, width) = Size(c);
            await containers.ResizeExecAsync(c.Route("id"), height, width, c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status200OK);
        });
        router.Post("/containers/{id}/resize", async c =>
        {
            var (height, width) = Size(c);
            await containers.ResizeAsync(c.Route("id"), height, width, c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status200OK);
        });
    }

    private async Task StartAsync(ApiContext c)
    {
        var session = containers.GetExec(c.Route("id"));
        var request = c.Request.ContentLength > 0 || c.HasLiftedBody
            ? await c.ReadJsonAsync(WireJson.Default.ExecStartRequest).ConfigureAwait(false)
            : new ExecStartRequest();
        if (request.Detach)
        {
            await containers.StartExecAsync(session.Id, request.ConsoleSize, null, c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status200OK);
            c.Response.ContentLength = 0;
            return;
        }
        var stream = await c.HijackAsync(ContainerRoutes.StreamContentType(c, session.Tty)).ConfigureAwait(false);
        // Not c.Aborted: a half-closed hijacked connection counts as aborted to Kestrel (see HalfClose).
        await containers.StartExecAsync(session.Id, request.ConsoleSize, stream, CancellationToken.None).ConfigureAwait(false);
    }

    private static (uint Height, uint Width) Size(ApiContext c) =>
        (Dimension(c, "h"), Dimension(c, "w"));

    private static uint Dimension(ApiContext c, string name) =>
        uint.TryParse(c.Query(name), out var n) ? n : throw BerthException.InvalidParameter($"invalid value for {name}: {c.Query(name)}");
}
