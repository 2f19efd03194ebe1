using Berth.Api;
using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Engine.Info;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary><c>/_ping</c>, <c>/version</c>, <c>/info</c>.</summary>
public sealed class SystemRoutes(SystemService system)
{
    public void Register(ApiRouter router)
    {
        router.Get("/_ping", PingAsync);
        router.Head("/_ping", PingAsync);
        router.Get("/version", async c => await c.WriteJsonAsync(await system.VersionAsync().ConfigureAwait(false), WireJson.Default.SystemVersion).ConfigureAwait(false));
        router.Get("/info", async c => await c.WriteJsonAsync(await system.InfoAsync().ConfigureAwait(false), WireJson.Default.SystemInfo).ConfigureAwait(false));
    }

    private static async Task PingAsync(ApiContext c)
    {
        var headers = c.Response.Headers;
        headers["Builder-Version"] = "1";
        headers["Swarm"] = "inactive";
        headers["Cache-Control"] = "no-cache, no-store, must-revalidate";
        headers["Pragma"] = "no-cache";
        c.Response.ContentType = "text/plain; charset=utf-8";
        c.Response.ContentLength = 2;
        if (HttpMethods.IsHead(c.Request.Method))
        {
            c.Response.ContentLength = 0;
            return;
        }
        await c.Response.Body.WriteAsync("OK"u8.ToArray(), c.Aborted).ConfigureAwait(false);
    }
}
