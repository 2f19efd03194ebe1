using Berth.Images.Snapshots;
using Berth.Images.Store;

namespace Berth.Engine.Build;

/// <summary>
/// An image's filesystem, mounted read-only in a temporary directory for as long as a step reads
/// it (COPY --from, a COPY destination's type, --chown names). An image without layers is an empty directory.
/// </summary>
public sealed class ImageRootView : IAsyncDisposable
{
    private readonly ISnapshotter _snapshots;
    private readonly string? _key;
    private readonly bool _mounted;

    private ImageRootView(ISnapshotter snapshots, string path, string? key, bool mounted)
    {
        _snapshots = snapshots;
        Path = path;
        _key = key;
        _mounted = mounted;
    }

    public string Path { get; }

    /// <summary>Whether an absolute path in the image is a directory (symlinks followed inside the image).</summary>
    public bool IsDirectory(string path)
    {
        var relative = path.Trim('/');
        return relative.Length == 0 || Directory.Exists(Images.Archive.RootedPath.Resolve(Path, relative, followLast: true));
    }

    public static async Task<ImageRootView> OpenAsync(ImageStore images, ImageRecord? image, string tempRoot, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(tempRoot, "build-view-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        if (image?.TopLayer is not { } top) return new ImageRootView(images.Snapshots, path, null, mounted: false);
        var key = "build-view-" + Guid.NewGuid().ToString("N");
        try
        {
            var mounts = await images.Snapshots.ViewAsync(key, top.ToString(), ct).ConfigureAwait(false);
            await Mounter.MountAsync(mounts, path, ct).ConfigureAwait(false);
        }
        catch
        {
            if (images.Snapshots.Stat(key) is not null) await images.Snapshots.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            Directory.Delete(path);
            throw;
        }
        return new ImageRootView(images.Snapshots, path, key, mounted: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_mounted) Mounter.Unmount(Path);
        Directory.Delete(Path);
        if (_key is not null) await _snapshots.RemoveAsync(_key, CancellationToken.None).ConfigureAwait(false);
    }
}
