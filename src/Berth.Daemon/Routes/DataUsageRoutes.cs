using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Engine.Info;

namespace Berth.Daemon.Routes;

/// <summary><c>GET /system/df</c>: HTTP in, one <see cref="DataUsageService"/> call, HTTP out.</summary>
public sealed class DataUsageRoutes(DataUsageService usage)
{
    public void Register(ApiRouter router) =>
        router.Get("/system/df", async c => await c.WriteJsonAsync(await usage.UsageAsync(c.Version, c.Aborted).ConfigureAwait(false), WireJson.Default.SystemDataUsage).ConfigureAwait(false));
}
