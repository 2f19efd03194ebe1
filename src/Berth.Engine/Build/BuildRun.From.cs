using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Dockerfile;
using Berth.Images.Store;

namespace Berth.Engine.Build;

public sealed partial class BuildRun
{
    /// <summary>
    /// FROM: an earlier stage by name, <c>scratch</c>, or an image (pulled when missing, or always
    /// with <c>pull</c>); the name may use meta args. Then the base image's ONBUILD triggers run.
    /// </summary>
    private async Task FromAsync(StageState state, DockerfileInstruction from, CancellationToken ct)
    {
        var written = from.Args.Count > 0 ? from.Args[0] : "";
        var name = _lexer.ProcessWord(written, _args.MetaValues());
        if (name.Length == 0) throw BerthException.InvalidParameter($"base name ({written}) should not be blank");
        if (from.Flags.TryGetValue("platform", out var platform)) EnsureHostPlatform(_lexer.ProcessWord(platform, _args.MetaValues()));
        if (_stages.LastOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)) is { } earlier)
        {
            var image = earlier.ImageId is null ? null : images.Store.Resolve(earlier.ImageId);
            state.Begin(earlier.ImageId, image?.Config.Config);
        }
        else if (name.Equals("scratch", StringComparison.OrdinalIgnoreCase)) state.Begin(null, null);
        else
        {
            var image = await BaseImageAsync(name, ct).ConfigureAwait(false);
            state.Begin(image.Id.ToString(), image.Config.Config);
        }
        await RunTriggersAsync(state, ct).ConfigureAwait(false);
    }

    /// <summary>Builds are for this host's platform only: another one is refused rather than silently built for the host.</summary>
    public static void EnsureHostPlatform(string? platform)
    {
        if (string.IsNullOrEmpty(platform)) return;
        var host = $"{Api.HostPlatform.Os}/{Api.HostPlatform.Architecture}";
        var normalized = platform.ToLowerInvariant();
        if (normalized != Api.HostPlatform.Os && normalized != host && !normalized.StartsWith(host + "/", StringComparison.Ordinal))
            throw BerthException.NotImplemented($"building for platform {platform} is not supported; berthd builds {host} images");
    }

    /// <summary>A base image from the store, or pulled (its progress in the build's stream) when missing or asked to.</summary>
    private async Task<ImageRecord> BaseImageAsync(string name, CancellationToken ct)
    {
        var local = images.Store.Find(name, out _);
        if (local is not null && !request.Pull) return local;
        if (local is not null && Images.References.ImageReference.IsFullHexId(name.Replace("sha256:", "", StringComparison.Ordinal))) return local;
        var reference = Images.References.ImageReference.ParseNormalized(name);
        var tag = reference.Tag is null && reference.Digest is null ? "latest" : null;
        await images.PullAsync(name, tag, null, request.RegistryAuth.For(reference), output.PullWriter, ct).ConfigureAwait(false);
        return images.Store.Resolve(name);
    }

    /// <summary>dockerd's <c>processOnBuild</c>: the base image's triggers, each dispatched as if written here, then dropped from the configuration.</summary>
    private async Task RunTriggersAsync(StageState state, CancellationToken ct)
    {
        var triggers = state.RunConfig.OnBuild ?? [];
        if (triggers.Count == 0) return;
        await output.StreamAsync($"# Executing {triggers.Count} build {(triggers.Count == 1 ? "trigger" : "triggers")}", ct).ConfigureAwait(false);
        await output.StreamAsync("\n", ct).ConfigureAwait(false);
        state.RunConfig.OnBuild = null;
        foreach (var trigger in triggers)
        {
            var instruction = DockerfileParser.ParseTrigger(trigger);
            await DispatchAndCleanAsync(state, instruction, ct).ConfigureAwait(false);
        }
    }

    /// <summary>ONBUILD: the trigger (checked by the parser, kept as written) is added to the image's configuration.</summary>
    private Task OnBuildAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        var expression = instruction.Arguments.Trim();
        state.RunConfig.OnBuild = [.. state.RunConfig.OnBuild ?? [], expression];
        return CommitMetadataAsync(state, "ONBUILD " + expression, ct);
    }
}
