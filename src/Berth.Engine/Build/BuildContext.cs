using Berth.Api.Errors;
using Berth.Dockerfile;
using Berth.Images.Archive;

namespace Berth.Engine.Build;

/// <summary>
/// The build context the client sent (a tar, maybe compressed), unpacked into a temporary
/// directory that disappears with this object. Entries that would land outside it are refused.
/// </summary>
public sealed class BuildContext : IAsyncDisposable
{
    private BuildContext(string root) => Root = root;

    public string Root { get; }

    public static async Task<BuildContext> ExtractAsync(Stream body, string tempRoot, CancellationToken ct)
    {
        var root = Path.Combine(tempRoot, "build-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var context = new BuildContext(root);
        try
        {
            await using var tar = new TarTailStream(await Decompression.OpenAsync(body, ct).ConfigureAwait(false));
            var options = new ExtractOptions { ApplyWhiteouts = false, ApplyRootEntry = false };
            await new LayerApplier(root, WhiteoutMode.Delete, options).ApplyAsync(tar, ct).ConfigureAwait(false);
            return context;
        }
        catch (LayerFormatException e)
        {
            await context.DisposeAsync().ConfigureAwait(false);
            throw BerthException.InvalidParameter($"invalid build context: {e.Message}");
        }
        catch
        {
            await context.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The Dockerfile's text. Its name is relative to the context (the CLI puts a Dockerfile from
    /// outside the context into the tar under a random name); a name leaving the context is not found.
    /// </summary>
    public async Task<string> ReadDockerfileAsync(string name, CancellationToken ct)
    {
        var relative = RootedPath.CleanRelative(name);
        var path = relative is null ? null : RootedPath.Resolve(Root, relative, followLast: true);
        if (path is null || !File.Exists(path))
        {
            // dockerd also tries the lowercase name when the default one is missing.
            var fallback = name == "Dockerfile" ? Path.Combine(Root, "dockerfile") : null;
            if (fallback is null || !File.Exists(fallback)) throw BerthException.System($"Cannot locate specified Dockerfile: {name}");
            path = fallback;
        }
        return await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// As dockerd: the client applied .dockerignore already, so the daemon only drops the Dockerfile and
    /// .dockerignore themselves when a pattern excludes them (after reading them). Other excluded files a
    /// raw API client sent stay in the context.
    /// </summary>
    public async Task RemoveIgnoredBuildFilesAsync(string dockerfile, CancellationToken ct)
    {
        var path = Path.Combine(Root, ".dockerignore");
        if (!File.Exists(path)) return;
        var ignore = DockerIgnore.Parse(await File.ReadAllTextAsync(path, ct).ConfigureAwait(false));
        foreach (var excluded in ignore.ExcludedBuildFiles(dockerfile))
            if (RootedPath.CleanRelative(excluded) is { } relative) File.Delete(Path.Combine(Root, relative));
    }

    public ValueTask DisposeAsync()
    {
        return new ValueTask(Task.Run(() =>
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }));
    }
}
