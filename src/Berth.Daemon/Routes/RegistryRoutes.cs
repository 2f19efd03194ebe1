using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Images.Registry;

namespace Berth.Daemon.Routes;

/// <summary><c>POST /auth</c> and <c>GET /distribution/{name}/json</c>: each one <see cref="RegistryService"/> call.</summary>
public sealed class RegistryRoutes(RegistryService registries)
{
    private const int MaxAuthBody = 64 * 1024;

    public void Register(ApiRouter router)
    {
        router.Post("/auth", async c =>
            await c.WriteJsonAsync(await registries.LoginAsync(await ReadCredentialsAsync(c).ConfigureAwait(false), c.Aborted).ConfigureAwait(false),
                WireJson.Default.AuthResponse).ConfigureAwait(false));
        router.Get("/distribution/{name*}/json", async c =>
            await c.WriteJsonAsync(await registries.InspectDistributionAsync(c.Route("name"), Credentials(c), c.Aborted).ConfigureAwait(false),
                WireJson.Default.DistributionInspect).ConfigureAwait(false));
    }

    private static RegistryCredentials Credentials(ApiContext c) => RegistryCredentials.FromHeader(c.Request.Headers["X-Registry-Auth"]);

    private static async Task<RegistryCredentials> ReadCredentialsAsync(ApiContext c)
    {
        var buffer = new byte[MaxAuthBody + 1];
        var length = 0;
        int n;
        while (length < buffer.Length && (n = await c.Request.Body.ReadAsync(buffer.AsMemory(length), c.Aborted).ConfigureAwait(false)) > 0) length += n;
        if (length > MaxAuthBody) throw BerthException.InvalidParameter("the credentials are too large");
        try
        {
            return RegistryCredentials.FromJson(buffer.AsSpan(0, length));
        }
        catch (JsonException e)
        {
            throw BerthException.InvalidParameter($"invalid JSON: {e.Message}");
        }
    }
}
