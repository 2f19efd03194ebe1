using Berth.Api.Errors;
using Berth.Api.Wire.Images;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Images.References;
using Berth.Images.Service;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Build;

/// <summary>
/// <c>POST /build</c> with the classic builder (Builder-Version 1): checks the tags, unpacks the
/// context, parses the Dockerfile, runs the stages up to the target, tags the result. Errors before
/// the first message are HTTP errors; later ones end the stream, as in dockerd.
/// </summary>
public sealed class ImageBuilder(ContainerEngine containers, ImageService images, string tempRoot, HttpClient http, ILogger logger)
{
    public async Task BuildAsync(BuildRequest request, Stream body, BuildOutput output, CancellationToken ct)
    {
        try
        {
            Supported(request);
            var tags = request.Tags.Select(Tag).ToList();
            await using var context = await BuildContext.ExtractAsync(body, tempRoot, ct).ConfigureAwait(false);
            var dockerfile = DockerfileParser.Parse(await context.ReadDockerfileAsync(request.Dockerfile, ct).ConfigureAwait(false), request.Dockerfile);
            await context.RemoveIgnoredBuildFilesAsync(request.Dockerfile, ct).ConfigureAwait(false);
            var stages = TargetStages(dockerfile, request.Target);

            var run = new BuildRun(containers, images, request, context, dockerfile, output, tempRoot, http, logger);
            var imageId = await run.RunAsync(stages, ct).ConfigureAwait(false);
            await output.StreamAsync($"Successfully built {BuildOutput.Short(imageId)}\n", ct).ConfigureAwait(false);
            foreach (var tag in tags)
            {
                await images.TagAsync(imageId, tag.ToString(), null, ct).ConfigureAwait(false);
                await output.StreamAsync($"Successfully tagged {tag.FamiliarString}\n", ct).ConfigureAwait(false);
            }
            await output.SucceededAsync(imageId, ct).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            // Word expansion outside a step (the meta ARGs), in dockerd's words.
            if (!output.Started) throw BerthException.InvalidParameter(e.Message);
            await output.FailedAsync(e.Message, 0, ct).ConfigureAwait(false);
        }
        catch (BuildStepFailedException e) when (output.Started)
        {
            await output.FailedAsync(e.Message, e.Code, ct).ConfigureAwait(false);
        }
        catch (BerthException e) when (output.Started)
        {
            await output.FailedAsync(e.Message, 0, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (output.Started && e is not OperationCanceledException)
        {
            logger.LogError(e, "Build failed");
            await output.FailedAsync(e.Message, 0, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>POST /build/prune</c>. The classic builder's cache is the intermediate images themselves
    /// (<see cref="BuildCache"/>), which <c>docker image prune</c> removes as in dockerd; the builder keeps
    /// no other cache (contexts and views live only as long as their build), so nothing is reclaimed here,
    /// which is also dockerd 20.10's answer for classic builds.
    /// </summary>
    public static BuildCachePruneResponse PruneCache() => new() { CachesDeleted = null, SpaceReclaimed = 0 };

    /// <summary>What the classic builder here does not do is refused, never ignored.</summary>
    private static void Supported(BuildRequest request)
    {
        if (request.BuilderVersion is "2") throw BerthException.NotImplemented("BuildKit is not supported: berthd has the classic builder (Builder-Version 1)");
        if (!string.IsNullOrEmpty(request.Remote)) throw BerthException.NotImplemented("remote build contexts (git or tarball URLs) are not supported");
        // dockerd's answer when it is not in experimental mode, which berthd never is.
        if (request.Squash) throw BerthException.InvalidParameter("squash is only supported with experimental mode");
        BuildRun.EnsureHostPlatform(request.Platform);
    }

    /// <summary>A <c>-t</c> value: a name with an optional tag (latest by default), never a digest.</summary>
    private static ImageReference Tag(string text)
    {
        var reference = ImageReference.ParseNormalized(text);
        if (reference.Digest is not null) throw BerthException.InvalidParameter("invalid reference format");
        return reference.WithDefaultTag();
    }

    /// <summary>The stages up to and including <paramref name="target"/> (all of them without one).</summary>
    private static IReadOnlyList<DockerfileStage> TargetStages(ParsedDockerfile dockerfile, string? target)
    {
        if (string.IsNullOrEmpty(target)) return dockerfile.Stages;
        var index = dockerfile.Stages.ToList().FindIndex(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase));
        if (index < 0) throw BerthException.InvalidParameter($"failed to reach build target {target} in Dockerfile");
        return dockerfile.Stages.Take(index + 1).ToList();
    }
}
