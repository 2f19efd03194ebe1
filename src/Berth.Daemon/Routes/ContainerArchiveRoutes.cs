using Berth.Api.Json;
using Berth.Api.Wire.Containers;
using Berth.Daemon.Http;
using Berth.Engine.Containers;
using Microsoft.AspNetCore.Http;

namespace Berth.Daemon.Routes;

/// <summary>The endpoints that read and write a container's files: archive (<c>docker cp</c>), export and changes (<c>docker diff</c>).</summary>
public sealed class ContainerArchiveRoutes(ContainerEngine containers)
{
    public void Register(ApiRouter router)
    {
        router.Head("/containers/{id}/archive", async c =>
        {
            var stat = await containers.StatPathAsync(c.Route("id"), c.Query("path"), c.Aborted).ConfigureAwait(false);
            c.Response.Headers[PathStatHeader.Name] = PathStatHeader.Encode(stat);
            c.Status(StatusCodes.Status200OK);
        });
        router.Get("/containers/{id}/archive", async c =>
        {
            var body = new ResponseBody(c);
            await containers.GetArchiveAsync(c.Route("id"), c.Query("path"), stat =>
            {
                c.Response.Headers[PathStatHeader.Name] = PathStatHeader.Encode(stat);
                return body.Begin("application/x-tar");
            }, c.Aborted).ConfigureAwait(false);
            await body.FlushAsync().ConfigureAwait(false);
        });
        router.Put("/containers/{id}/archive", async c =>
        {
            await containers.ExtractToDirectoryAsync(c.Route("id"), c.Query("path"), c.QueryBool("noOverwriteDirNonDir"), c.QueryBool("copyUIDGID"),
                c.Request.Body, c.Aborted).ConfigureAwait(false);
            c.Status(StatusCodes.Status200OK);
        });
        router.Get("/containers/{id}/export", async c =>
        {
            var body = new ResponseBody(c);
            await containers.ExportAsync(c.Route("id"), () => body.Begin("application/octet-stream"), c.Aborted).ConfigureAwait(false);
            await body.FlushAsync().ConfigureAwait(false);
        });
        router.Get("/containers/{id}/changes", async c => await c.WriteJsonAsync(
            await containers.ChangesAsync(c.Route("id"), c.Aborted).ConfigureAwait(false), WireJson.Default.ListContainerChange).ConfigureAwait(false));
    }

    /// <summary>
    /// A buffered response body made only once the engine is ready to write, so an error found
    /// before that still gets its status and JSON message (a flush would send the headers).
    /// </summary>
    private sealed class ResponseBody(ApiContext c)
    {
        private BufferedStream? _buffered;

        public Stream Begin(string contentType)
        {
            c.Response.ContentType = contentType;
            return _buffered = new BufferedStream(c.Response.Body, 256 * 1024);
        }

        public Task FlushAsync() => _buffered?.FlushAsync(c.Aborted) ?? Task.CompletedTask;
    }
}
