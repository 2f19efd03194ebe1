using Berth.Images.Archive;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// <c>GET /containers/{id}/export</c>: the merged root as a tar, entries relative to it. The
    /// engine files show as the init layer's empty mount points, as in dockerd's export.
    /// <paramref name="begin"/> returns the stream to write to, once the container is known.
    /// </summary>
    public async Task ExportAsync(string reference, Func<Stream> begin, CancellationToken ct)
    {
        var container = Get(reference);
        await WithRootAsync(container, async root =>
        {
            await DirectoryTarWriter.WriteAsync(root, begin(), new TreeTarOptions { WholeSeconds = true }, ct).ConfigureAwait(false);
            return true;
        }, ct).ConfigureAwait(false);
    }
}
