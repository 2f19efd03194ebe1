using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Volumes.Service;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>The volumes endpoints: each turns HTTP into one <see cref="VolumeService"/> call and back.</summary>
public sealed class VolumeRoutes(VolumeService volumes)
{
    public void Register(ApiRouter router)
    {
        router.Get("/volumes", async c => await c.WriteJsonAsync(volumes.List(c.Filters()), WireJson.Default.VolumeListResponse).ConfigureAwait(false));
        router.Get("/volumes/{name}", async c => await c.WriteJsonAsync(volumes.Inspect(c.Route("name")), WireJson.Default.Volume).ConfigureAwait(false));
        router.Post("/volumes/create", async c =>
        {
            var request = await c.ReadJsonAsync(WireJson.Default.VolumeCreateRequest).ConfigureAwait(false);
            await c.WriteJsonAsync(volumes.Create(request), WireJson.Default.Volume, StatusCodes.Status201Created).ConfigureAwait(false);
        });
        router.Delete("/volumes/{name}", c =>
        {
            volumes.Remove(c.Route("name"), c.QueryBool("force"));
            c.Status(StatusCodes.Status204NoContent);
            return Task.CompletedTask;
        });
        router.Post("/volumes/prune", async c => await c.WriteJsonAsync(volumes.Prune(c.Filters(), c.Version), WireJson.Default.VolumesPruneResponse).ConfigureAwait(false));
    }
}
