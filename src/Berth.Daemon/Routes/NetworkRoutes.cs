using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Engine.Networks;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>The networks endpoints: each turns HTTP into one <see cref="NetworkEngine"/> call and back.</summary>
public sealed class NetworkRoutes(NetworkEngine networks)
{
    public void Register(ApiRouter router)
    {
        router.Get("/networks", async c => await c.WriteJsonAsync(networks.List(c.Filters()), WireJson.Default.ListNetworkResource).ConfigureAwait(false));
        router.Get("/networks/{id}", async c => await c.WriteJsonAsync(networks.Inspect(c.Route("id")), WireJson.Default.NetworkResource).ConfigureAwait(false));
        router.Post("/networks/create", async c =>
        {
            var request = await c.ReadJsonAsync(WireJson.Default.NetworkCreateRequest).ConfigureAwait(false);
            await c.WriteJsonAsync(networks.Create(request), WireJson.Default.NetworkCreateResponse, StatusCodes.Status201Created).ConfigureAwait(false);
        });
        router.Delete("/networks/{id}", c =>
        {
            networks.Remove(c.Route("id"));
            c.Status(StatusCodes.Status204NoContent);
            return Task.CompletedTask;
        });
        router.Post("/networks/prune", async c => await c.WriteJsonAsync(networks.Prune(c.Filters(), DateTimeOffset.UtcNow), WireJson.Default.NetworksPruneResponse).ConfigureAwait(false));
        router.Post("/networks/{id}/connect", async c =>
        {
            var request = await c.ReadJsonAsync(WireJson.Default.NetworkConnectRequest).ConfigureAwait(false);
            await networks.ConnectAsync(c.Route("id"), request, c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status200OK);
        });
        router.Post("/networks/{id}/disconnect", async c =>
        {
            var request = await c.ReadJsonAsync(WireJson.Default.NetworkDisconnectRequest).ConfigureAwait(false);
            await networks.DisconnectAsync(c.Route("id"), request, c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status200OK);
        });
    }
}
