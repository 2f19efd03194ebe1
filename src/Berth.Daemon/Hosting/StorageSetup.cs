using Berth.Images.Snapshots;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Hosting;

/// <summary>Picks and opens the storage driver: the one asked for, else overlay2 when the kernel can, else vfs.</summary>
public static class StorageSetup
{
    public static async Task<ISnapshotter> OpenAsync(string dataRoot, string? requested, ILogger logger, CancellationToken ct)
    {
        var driver = requested;
        if (driver is null or "overlay2")
        {
            var root = Path.Combine(dataRoot, "overlay2");
            Directory.CreateDirectory(root);
            try
            {
                await OverlaySnapshotter.VerifySupportedAsync(root, ct).ConfigureAwait(false);
                driver = "overlay2";
            }
            catch (Api.Errors.BerthException e) when (requested is null)
            {
                logger.LogWarning("overlay2 is unavailable ({Reason}); using vfs", e.Message);
                driver = "vfs";
            }
        }
        logger.LogInformation("Storage driver: {Driver}", driver);
        return driver == "overlay2"
            ? new OverlaySnapshotter(Path.Combine(dataRoot, "overlay2"))
            : new VfsSnapshotter(Path.Combine(dataRoot, "vfs"));
    }
}
