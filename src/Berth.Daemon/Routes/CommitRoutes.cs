using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Json;
using Berth.Api.Wire;
using Berth.Api.Wire.Containers;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Berth.Images.Service;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary><c>POST /commit</c> (<c>docker commit</c>): a container's changes become an image.</summary>
public sealed class CommitRoutes(ContainerEngine containers, ImageService images)
{
    public void Register(ApiRouter router) => router.Post("/commit", CommitAsync);

    private async Task CommitAsync(ApiContext c)
    {
        var options = new CommitOptions
        {
            Container = c.Query("container") ?? "",
            Repository = c.Query("repo"),
            Tag = c.Query("tag"),
            Author = c.Query("author"),
            Comment = c.Query("comment"),
            Changes = c.QueryAll("changes"),
            // As dockerd from API 1.13 on: pause unless told otherwise.
            Pause = string.IsNullOrEmpty(c.Query("pause")) || c.QueryBool("pause"),
            Config = await OptionalConfigAsync(c).ConfigureAwait(false),
        };
        var id = await containers.CommitAsync(options, images, c.Aborted).ConfigureAwait(false);
        await c.WriteJsonAsync(new IdResponse { Id = id }, WireJson.Default.IdResponse, StatusCodes.Status201Created).ConfigureAwait(false);
    }

    /// <summary>The body may carry a configuration; an empty body means none.</summary>
    private static async Task<ContainerConfig?> OptionalConfigAsync(ApiContext c)
    {
        using var body = new MemoryStream();
        await c.Request.Body.CopyToAsync(body, c.Aborted).ConfigureAwait(false);
        if (body.Length == 0 || body.ToArray().All(b => b is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')) return null;
        try
        {
            return JsonSerializer.Deserialize(body.ToArray(), WireJson.Default.ContainerConfig);
        }
        catch (JsonException e)
        {
            throw BerthException.InvalidParameter($"invalid JSON: {e.Message}");
        }
    }
}
