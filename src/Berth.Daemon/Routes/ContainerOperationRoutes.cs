using Berth.Api;
using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>pause, unpause, top, update, stats and prune: each turns HTTP into one <see cref="ContainerEngine"/> call and back.</summary>
public sealed class ContainerOperationRoutes(ContainerEngine containers)
{
    public void Register(ApiRouter router)
    {
        router.Post("/containers/{id}/pause", async c =>
        {
            await containers.PauseAsync(c.Route("id"), c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status204NoContent);
        });
        router.Post("/containers/{id}/unpause", async c =>
        {
            await containers.UnpauseAsync(c.Route("id"), c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status204NoContent);
        });
        router.Get("/containers/{id}/top", async c => await c.WriteJsonAsync(
            await containers.TopAsync(c.Route("id"), c.Query("ps_args"), c.Aborted).ConfigureAwait(false), WireJson.Default.ContainerTopResponse).ConfigureAwait(false));
        router.Post("/containers/{id}/update", async c =>
        {
            var request = await c.ReadJsonAsync(WireJson.Default.ContainerUpdateRequest).ConfigureAwait(false);
            await c.WriteJsonAsync(await containers.UpdateAsync(c.Route("id"), request, c.Aborted).ConfigureAwait(false), WireJson.Default.ContainerUpdateResponse)
                .ConfigureAwait(false);
        });
        router.Get("/containers/{id}/stats", StatsAsync);
        router.Post("/containers/prune", async c => await c.WriteJsonAsync(
            await containers.PruneAsync(c.Filters(), DateTimeOffset.UtcNow, c.Aborted).ConfigureAwait(false), WireJson.Default.ContainersPruneResponse).ConfigureAwait(false));
    }

    private async Task StatsAsync(ApiContext c)
    {
        var stream = BoolOrDefault(c, "stream", true);
        // one-shot arrived with API 1.41; older clients always get the second reading.
        var oneShot = c.Version >= new ApiVersion(1, 41) && BoolOrDefault(c, "one-shot", false);
        var objects = containers.StatsAsync(c.Route("id"), stream, oneShot, c.Aborted);
        if (!stream)
        {
            await foreach (var single in objects.ConfigureAwait(false))
                await c.WriteJsonAsync(single, WireJson.Default.ContainerStats).ConfigureAwait(false);
            return;
        }
        c.Response.StatusCode = StatusCodes.Status200OK;
        c.Response.ContentType = "application/json";
        await c.Response.StartAsync(c.Aborted).ConfigureAwait(false);
        try
        {
            await foreach (var stats in objects.ConfigureAwait(false))
                await c.WriteJsonLineAsync(stats, WireJson.Default.ContainerStats).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (c.Aborted.IsCancellationRequested)
        {
            // The client went away: the end of a stream.
        }
    }

    /// <summary>Docker's BoolValueOrDefault: an absent or empty value gives the default.</summary>
    private static bool BoolOrDefault(ApiContext c, string name, bool fallback) =>
        c.Query(name) is { Length: > 0 } ? c.QueryBool(name) : fallback;
}
