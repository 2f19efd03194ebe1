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
        var mode = instruction.Flags.TryGetValue("chmod", out var chmod) ? ParseChmod(chmod) : (int?)null;
        if (add && instruction.Flags.ContainsKey("from")) throw BerthException.InvalidParameter("ADD does not support the --from option");
        var env = state.ExpansionEnvironment();
        var words = Words(instruction, env);
        if (words.Count < 2) throw BerthException.InvalidParameter($"{name} requires at least two arguments, but only one was provided. Destination could not be determined.");
        var sources = words.Take(words.Count - 1).ToList();
        var destination = words[^1];
        var absolute = CopyPlanner.NormalizeDestination(state.RunConfig.WorkingDir, destination);
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

            // The checksum depends on the sources only, so the cache is probed before the image is looked at.
            var request = new CopyRequest(sourceRoot, sources, absolute, DestinationIsExistingDirectory: false, null, null, mode, add, Ignore: null)
            {
                CommandName = name,
                PreserveOwnership = fromView is not null && chown is null,
                FromImage = fromView is not null,
                SourcesAreDownloads = downloads is not null,
                Decompress = Decompression.OpenAsync,
            };
            var plan = await CopyPlanner.PlanAsync(request, ct).ConfigureAwait(false);

            // dockerd's comment has no space between the flag and the checksum; --chmod (which dockerd's classic builder refuses) follows suit.
            var flagsComment = (chown is null ? "" : $"--chown={chown}") + (mode is null ? "" : $"{(chown is null ? "" : " ")}--chmod={chmod}");
            var stepConfig = BuildConfigs.WithNopCommentString(state.RunConfig, state.Shell(), $"{name} {flagsComment}{plan.Checksum} in {destination} ");
            if (Probe(state, stepConfig) is { } cached)
            {
                await UseCacheAsync(state, cached, ct).ConfigureAwait(false);
                return;
            }

            // The image's own filesystem: whether the destination and the new files' parents exist, and --chown names.
            await using var target = await ImageRootView.OpenAsync(images.Store, CurrentImage(state), tempRoot, ct).ConfigureAwait(false);
            var destinationIsDirectory = target.IsDirectory(absolute);
            if (destinationIsDirectory || chown is not null)
            {
                var (uid, gid) = Owner(target.Path, chown);
                plan = await CopyPlanner.PlanAsync(request with
                {
                    DestinationIsExistingDirectory = destinationIsDirectory, Uid = uid, Gid = gid, TargetDirectoryExists = target.IsDirectory,
                }, ct).ConfigureAwait(false);
            }
            var image = await images.CommitAsync(new ImageCommitRequest
            {
                ContainerId = null,
                BaseImageId = state.ImageId,
                Config = BuildConfigs.Copy(state.RunConfig),
                ContainerConfig = stepConfig,
                WriteLayer = add ? (layer, token) => SpooledAsync(plan, layer, token) : plan.WriteTarAsync,
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

    /// <summary>--from: an earlier stage by name or index, else an image (pulled if missing).</summary>
    private async Task<ImageRecord?> CopySourceImageAsync(string from, CancellationToken ct)
    {
        var stage = _stages.LastOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase))
                    ?? (int.TryParse(from, out var index) ? _stages.FirstOrDefault(s => s.Index == index) : null);
        if (stage is not null) return stage.ImageId is null ? null : images.Store.Resolve(stage.ImageId);
        if (int.TryParse(from, out _)) throw BerthException.InvalidParameter($"invalid from flag value {from}: refers to current build stage");
        try
        {
            return await BaseImageAsync(from, ct).ConfigureAwait(false);
        }
        catch (BerthException e)
        {
            throw new BerthException(e.Kind, $"invalid from flag value {from}: {e.Message}");
        }
    }

    private ImageRecord? CurrentImage(StageState state) => state.ImageId is null ? null : images.Store.Resolve(state.ImageId);

    /// <summary>--chown: numeric IDs as given (a lone one for both), names looked up in the image's passwd and group files.</summary>
    private static (int? Uid, int? Gid) Owner(string root, string? chown)
    {
        if (chown is null) return (null, null);
        var colon = chown.IndexOf(':');
        var user = colon < 0 ? chown : chown[..colon];
        var group = colon < 0 ? user : chown[(colon + 1)..];
        if (int.TryParse(user, out var uid) && int.TryParse(group, out var gid)) return (uid, gid);
        try
        {
            var resolved = UserResolver.Resolve(root, $"{user}:{group}", null);
            return ((int)resolved.Uid, (int)resolved.Gid);
        }
        catch (ArgumentException e)
        {
            throw BerthException.InvalidParameter($"unable to convert uid/gid chown string to host mapping: {e.Message}");
        }
    }

    /// <summary>
    /// ADD's tar goes through a temporary file: entries copied out of a local archive have no known
    /// size until read, which the tar writer can only record in a seekable output.
    /// </summary>
    private async Task SpooledAsync(CopyPlan plan, Stream layer, CancellationToken ct)
    {
        var path = Path.Combine(tempRoot, "build-add-" + Guid.NewGuid().ToString("N")[..12]);
        await using var spool = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        await plan.WriteTarAsync(spool, ct).ConfigureAwait(false);
        spool.Position = 0;
        await spool.CopyToAsync(layer, ct).ConfigureAwait(false);
    }

    private static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary><c>--chmod=755</c>: an octal mode for every copied file and directory, as BuildKit takes it.</summary>
    private static int ParseChmod(string value)
    {
        if (value.Length is 0 or > 4 || value.Any(c => c is < '0' or > '7'))
            throw BerthException.InvalidParameter($"invalid chmod parameter: '{value}'. it should be octal string and between 0 and 07777");
        return Convert.ToInt32(value, 8);
    }
}
