using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Json;
using Berth.Daemon.Http;
using Berth.Images.Registry;
using Berth.Images.Service;
using Berth.Images.Transfer;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>The <c>/images</c> endpoints: each turns HTTP into one <see cref="ImageService"/> call and back.</summary>
public sealed class ImageRoutes(ImageService images)
{
    public void Register(ApiRouter router)
    {
        router.Get("/images/json", ListAsync);
        router.Post("/images/load", LoadAsync);
        router.Get("/images/get", c => SaveAsync(c, c.QueryAll("names")));
        router.Post("/images/create", CreateAsync);
        router.Post("/images/prune", async c =>
            await c.WriteJsonAsync(await images.PruneAsync(c.Filters(), c.Aborted).ConfigureAwait(false), WireJson.Default.ImagesPruneResponse).ConfigureAwait(false));
        router.Get("/images/{name*}/json", c => c.WriteJsonAsync(images.Inspect(c.Route("name"), c.Version), WireJson.Default.ImageInspect));
        router.Get("/images/{name*}/history", c => c.WriteJsonAsync(images.History(c.Route("name")), WireJson.Default.ListHistoryResponseItem));
        router.Get("/images/{name*}/get", c => SaveAsync(c, [c.Route("name")]));
        router.Post("/images/{name*}/tag", TagAsync);
        router.Post("/images/{name*}/push", PushAsync);
        router.Delete("/images/{name*}", async c =>
            await c.WriteJsonAsync(await images.RemoveAsync(c.Route("name"), c.QueryBool("force"), !c.QueryBool("noprune"), c.Aborted).ConfigureAwait(false),
                WireJson.Default.ListImageDeleteResponseItem).ConfigureAwait(false));
    }

    private Task ListAsync(ApiContext c)
    {
        var filters = c.Filters();
        // Clients before 1.41 could send one reference as "filter"; dockerd still honours it for them.
        if (c.Version < new ApiVersion(1, 41) && c.Query("filter") is { Length: > 0 } legacy)
            filters = FilterArgs.From(filters.Keys.SelectMany(k => filters.Get(k).Select(v => KeyValuePair.Create(k, v)))
                .Append(KeyValuePair.Create("reference", legacy)));
        return c.WriteJsonAsync(images.List(c.QueryBool("all"), filters, c.Version), WireJson.Default.ListImageSummary);
    }

    private async Task LoadAsync(ApiContext c)
    {
        var output = c.BeginJsonStream();
        try
        {
            await images.LoadAsync(c.Request.Body, output, c.QueryBool("quiet"), c.Aborted).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            // As dockerd: a load always answers 200 and reports failure inside the stream.
            await output.ErrorAsync(e.Message, c.Aborted).ConfigureAwait(false);
        }
    }

    private async Task SaveAsync(ApiContext c, IReadOnlyList<string> names)
    {
        var write = images.PrepareSave(names);
        c.Response.ContentType = "application/x-tar";
        await using var buffered = new BufferedStream(c.Response.Body, 256 * 1024);
        await write(buffered, c.Aborted).ConfigureAwait(false);
        await buffered.FlushAsync(c.Aborted).ConfigureAwait(false);
    }

    private async Task TagAsync(ApiContext c)
    {
        await images.TagAsync(c.Route("name"), c.Query("repo") ?? "", c.Query("tag"), c.Aborted).ConfigureAwait(false);
        c.Status(StatusCodes.Status201Created);
    }

    private async Task PushAsync(ApiContext c)
    {
        var credentials = await PushCredentials.ReadAsync(c.Request.Headers["X-Registry-Auth"], c.Request.Body, c.Aborted).ConfigureAwait(false);
        await images.PushAsync(c.Route("name"), c.Query("tag"), credentials, c.BeginJsonStream(), c.Aborted).ConfigureAwait(false);
    }

    private async Task CreateAsync(ApiContext c)
    {
        if (c.Query("fromImage") is { Length: > 0 } fromImage)
        {
            // The stream's headers leave with its first message, so an error before it is still an HTTP status.
            var credentials = RegistryCredentials.FromHeader(c.Request.Headers["X-Registry-Auth"]);
            await images.PullAsync(fromImage, c.Query("tag"), c.Query("platform"), credentials, c.BeginJsonStream(), c.Aborted).ConfigureAwait(false);
            return;
        }
        var source = c.Query("fromSrc");
        if (string.IsNullOrEmpty(source)) throw BerthException.InvalidParameter("either fromImage or fromSrc must be given");
        var request = new ImportRequest(source, c.Query("repo"), c.Query("tag"), c.Query("message"), c.QueryAll("changes"), c.Query("platform"));
        var output = c.BeginJsonStream();
        await images.ImportAsync(request, c.Request.Body, output, c.Aborted).ConfigureAwait(false);
    }
}
