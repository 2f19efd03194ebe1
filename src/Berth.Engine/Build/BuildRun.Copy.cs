using Berth.Api;
using Berth.Api.Errors;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Images.Archive;
using Berth.Images.Service;
using Berth.Images.Store;

namespace Berth.Engine.Build;

public sealed partial class BuildRun
{
    /// <summary>
    /// COPY and ADD (dockerd's <c>performCopy</c>): the sources (from the context, minus
    /// .dockerignore, or another stage's or image's filesystem with <c>--from</c>; URLs for ADD) are
    /// checked and summed; the sum is the cache key. On a miss the files become the new image's
    /// layer directly, without a container, as in dockerd.
    /// </summary>
    private async Task CopyAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        var add = instruction.Keyword == "add";
        var name = add ? "ADD" : "COPY";
        if (instruction.Flags.ContainsKey("chmod"))
            throw BerthException.InvalidParameter("the --chmod option requires BuildKit. Refer to https://docs.docker.com/go/buildkit/ to learn how to build images with BuildKit enabled");
        if (add && instruction.Flags.ContainsKey("from")) throw BerthException.InvalidParameter("ADD does not support the --from option");
        var env = state.ExpansionEnvironment();
        var words = instruction.JsonForm ?? _lexer.ProcessWords(instruction.Arguments, env);
        if (words.Count < 2) throw BerthException.InvalidParameter($"{name} requires at least two arguments, but only one was provided. Destination could not be determined.");
        var sources = words.Take(words.Count - 1).ToList();
        var destination = words[^1];
        var absolute = Absolute(state, destination);
        instruction.Flags.TryGetValue("chown", out var chown);
        chown = string.IsNullOrEmpty(chown) ? null : _lexer.ProcessWord(chown, env);

        var urls = add ? sources.Where(IsUrl).ToList() : [];
        if (urls.Count > 0 && urls.Count != sources.Count) throw BerthException.NotImplemented("ADD with both URLs and local sources is not supported");
        string? downloads = null;
        ImageRootView? fromView = null;
        try
        {
            string sourceRoot;
            if (urls.Count > 0)
            {
                downloads = await DownloadAsync(urls, ct).ConfigureAwait(false);
                sourceRoot = downloads;
                sources = urls.Select(UrlFileName).ToList();
            }
            else if (instruction.Flags.TryGetValue("from", out var from) && from.Length > 0)
            {
                fromView = await ImageRootView.OpenAsync(images.Store, await CopySourceImageAsync(_lexer.ProcessWord(from, env), ct).ConfigureAwait(false), tempRoot, ct).ConfigureAwait(false);
                sourceRoot = fromView.Path;
            }
            else sourceRoot = context.Root;

            var (uid, gid) = await OwnerAsync(state, chown, ct).ConfigureAwait(false);
            var destinationIsDirectory = !destination.EndsWith('/') && sources.Count == 1 && await IsDirectoryInImageAsync(state, absolute, ct).ConfigureAwait(false);
            var plan = await CopyPlanner.PlanAsync(new CopyRequest(sourceRoot, sources, absolute + (destination.EndsWith('/') && !absolute.EndsWith('/') ? "/" : ""),
                destinationIsDirectory, uid, gid, null, add && urls.Count == 0, fromView is null && downloads is null ? ignore : null), ct).ConfigureAwait(false);

            var chownComment = chown is null ? "" : $"--chown={chown} ";
            var stepConfig = BuildConfigs.WithNopCommentString(state.RunConfig, state.Shell(), $"{name} {chownComment}{plan.Checksum} in {destination} ");
            if (Probe(state, stepConfig) is { } cached)
            {
                await UseCacheAsync(state, cached, ct).ConfigureAwait(false);
                return;
            }
            var image = await images.CommitAsync(new ImageCommitRequest
            {
                ContainerId = null,
                BaseImageId = state.ImageId,
                Config = BuildConfigs.Copy(state.RunConfig),
                ContainerConfig = stepConfig,
                WriteLayer = plan.WriteTarAsync,
                Author = state.Maintainer,
            }, ct).ConfigureAwait(false);
            state.ImageId = image.ToString();
        }
        finally
        {
            if (fromView is not null) await fromView.DisposeAsync().ConfigureAwait(false);
            if (downloads is not null) Directory.Delete(downloads, recursive: true);
        }
    }

    /// <summary>The destination made absolute against WORKDIR, keeping a trailing slash.</summary>
    private static string Absolute(StageState state, string destination)
    {
        if (destination.StartsWith('/')) return destination;
        var workdir = string.IsNullOrEmpty(state.RunConfig.WorkingDir) ? "/" : state.RunConfig.WorkingDir;
        var joined = GoPath.Clean(workdir + "/" + destination);
        return destination.EndsWith('/') || destination is "." ? joined.TrimEnd('/') + "/" : joined;
    }

    /// <summary>--from: an earlier stage by name or index, else an image (pulled if missing).</summary>
    private async Task<ImageRecord?> CopySourceImageAsync(string from, CancellationToken ct)
    {
        var stage = _stages.LastOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase))
                    ?? (int.TryParse(from, out var index) ? _stages.FirstOrDefault(s => s.Index == index) : null);
        if (stage is not null) return stage.ImageId is null ? null : images.Store.Resolve(stage.ImageId);
        if (int.TryParse(from, out _)) throw BerthException.InvalidParameter($"invalid from flag value {from}: refers to current build stage");
        return await BaseImageAsync(from, ct).ConfigureAwait(false);
    }

    /// <summary>--chown: numeric IDs as given (a lone one for both), names looked up in the image's passwd and group files.</summary>
    private async Task<(int? Uid, int? Gid)> OwnerAsync(StageState state, string? chown, CancellationToken ct)
    {
        if (chown is null) return (null, null);
        var colon = chown.IndexOf(':');
        var user = colon < 0 ? chown : chown[..colon];
        var group = colon < 0 ? user : chown[(colon + 1)..];
        if (int.TryParse(user, out var uid) && int.TryParse(group, out var gid)) return (uid, gid);
        await using var view = await ImageRootView.OpenAsync(images.Store, CurrentImage(state), tempRoot, ct).ConfigureAwait(false);
        try
        {
            var resolved = UserResolver.Resolve(view.Path, $"{user}:{group}", null);
            return ((int)resolved.Uid, (int)resolved.Gid);
        }
        catch (ArgumentException e)
        {
            throw BerthException.InvalidParameter($"unable to convert uid/gid chown string to host mapping: {e.Message}");
        }
    }

    private async Task<bool> IsDirectoryInImageAsync(StageState state, string path, CancellationToken ct)
    {
        if (path == "/") return true;
        await using var view = await ImageRootView.OpenAsync(images.Store, CurrentImage(state), tempRoot, ct).ConfigureAwait(false);
        return Directory.Exists(RootedPath.Resolve(view.Path, path.TrimStart('/'), followLast: true));
    }

    private ImageRecord? CurrentImage(StageState state) => state.ImageId is null ? null : images.Store.Resolve(state.ImageId);

    private static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
