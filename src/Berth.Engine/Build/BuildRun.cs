using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Api.Wire.Containers;
using Berth.Dockerfile;
using Berth.Engine.Containers;
using Berth.Images.Service;
using Microsoft.Extensions.Logging;

namespace Berth.Engine.Build;

/// <summary>
/// One build, as dockerd's classic builder runs it: the meta ARGs, then each stage up to the
/// target, every instruction a step that is looked up in the cache or carried out in a container
/// of the engine and committed as an image, each image the parent of the next.
/// </summary>
public sealed partial class BuildRun(
    ContainerEngine containers,
    ImageService images,
    BuildRequest request,
    BuildContext context,
    ParsedDockerfile dockerfile,
    BuildOutput output,
    string tempRoot,
    HttpClient http,
    ILogger logger)
{
    private readonly ShellLexer _lexer = new(dockerfile.EscapeToken);
    private readonly BuildCache _cache = new(images.Store, request.NoCache);
    private readonly BuildArgs _args = new(request.BuildArgs);
    private readonly List<StageState> _stages = [];
    /// <summary>The containers of the step being dispatched, removed when it ends.</summary>
    private readonly List<string> _stepContainers = [];

    /// <summary>Runs the build; returns the last stage's image ID.</summary>
    public async Task<string> RunAsync(IReadOnlyList<DockerfileStage> stages, CancellationToken ct)
    {
        var total = dockerfile.MetaArgs.Count + stages.Sum(s => 1 + s.Instructions.Count) + request.Labels.Count;
        var step = 0;
        if (dockerfile.Warnings.Count > 0) await output.StderrAsync(string.Join('\n', dockerfile.Warnings) + "\n", ct).ConfigureAwait(false);
        foreach (var meta in dockerfile.MetaArgs)
        {
            await output.StepAsync(++step, total, meta.Original, ct).ConfigureAwait(false);
            foreach (var (key, value) in ArgDeclarations(meta, _args.MetaValues())) _args.AddMetaArg(key, value);
        }

        StageState? last = null;
        foreach (var stage in stages)
        {
            _cache.Reset();
            var state = new StageState(stage.Index, stage.Name, _args.CloneForStage());
            await output.StepAsync(++step, total, stage.From.Original, ct).ConfigureAwait(false);
            if (stage.Name is { } name && _stages.Any(s => s.Name == name))
                throw BerthException.InvalidParameter($"{name} stage name already used");
            await DispatchStepAsync(state, stage.From, ct).ConfigureAwait(false);
            var instructions = stage.Instructions.ToList();
            if (stage == stages[^1]) instructions.AddRange(LabelOptions());
            foreach (var instruction in instructions)
            {
                await output.StepAsync(++step, total, instruction.Original, ct).ConfigureAwait(false);
                await DispatchStepAsync(state, instruction, ct).ConfigureAwait(false);
            }
            if (state.ImageId is { } id) await output.AuxAsync(id, ct).ConfigureAwait(false);
            _args.MergeReferenced(state.Args);
            _stages.Add(state);
            last = state;
        }

        if (_args.Unconsumed() is { Count: > 0 } unused)
            await output.StreamAsync($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n", ct).ConfigureAwait(false);
        return last?.ImageId ?? throw BerthException.System("No image was generated. Is your Dockerfile empty?");
    }

    /// <summary>One step: carried out, then its image shown.</summary>
    private async Task DispatchStepAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        await DispatchAndCleanAsync(state, instruction, ct).ConfigureAwait(false);
        state.RunConfig.Image = state.ImageId ?? "";
        await output.ImageAsync(state.ImageId, ct).ConfigureAwait(false);
    }

    /// <summary>Carries out an instruction; its containers are removed when it succeeded, or always with forcerm.</summary>
    private async Task DispatchAndCleanAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        var succeeded = false;
        try
        {
            await DispatchAsync(state, instruction, ct).ConfigureAwait(false);
            succeeded = true;
        }
        catch (FormatException e)
        {
            // Word expansion and argument errors, in dockerd's words.
            throw BerthException.InvalidParameter(e.Message);
        }
        finally
        {
            if (request.ForceRemove || (request.Remove && succeeded)) await RemoveStepContainersAsync(ct).ConfigureAwait(false);
            else _stepContainers.Clear();
        }
        state.RunConfig.Image = state.ImageId ?? "";
    }

    private Task DispatchAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct) => instruction.Keyword switch
    {
        "from" => FromAsync(state, instruction, ct),
        "run" => RunInstructionAsync(state, instruction, ct),
        "copy" or "add" => CopyAsync(state, instruction, ct),
        "workdir" => WorkdirAsync(state, instruction, ct),
        "onbuild" => OnBuildAsync(state, instruction, ct),
        _ => MetadataAsync(state, instruction, ct),
    };

    /// <summary>dockerd's <c>commit</c> for a metadata step: a cache hit, or a container made (never run) and committed with no new layer.</summary>
    private async Task CommitMetadataAsync(StageState state, string comment, CancellationToken ct)
    {
        var stepConfig = BuildConfigs.WithNopComment(state.RunConfig, state.Shell(), comment);
        if (Probe(state, stepConfig) is { } cached)
        {
            await UseCacheAsync(state, cached, ct).ConfigureAwait(false);
            return;
        }
        await CommitThroughContainerAsync(state, stepConfig, ct).ConfigureAwait(false);
    }

    /// <summary>Creates the step's container with <paramref name="stepConfig"/> and commits it; on <c>scratch</c> with no image yet, commits without one.</summary>
    private async Task CommitThroughContainerAsync(StageState state, ContainerConfig stepConfig, CancellationToken ct, Func<string, Task>? prepare = null)
    {
        if (state.ImageId is null)
        {
            var scratch = await images.CommitAsync(new ImageCommitRequest
            {
                ContainerId = null,
                BaseImageId = null,
                Config = BuildConfigs.Copy(state.RunConfig),
                ContainerConfig = stepConfig,
                WriteLayer = null,
                Author = state.Maintainer,
            }, ct).ConfigureAwait(false);
            state.ImageId = scratch.ToString();
            return;
        }
        var id = await CreateStepContainerAsync(state, stepConfig, ct).ConfigureAwait(false);
        if (prepare is not null) await prepare(id).ConfigureAwait(false);
        stepConfig.Hostname = id[..12];
        state.ImageId = await containers.CommitBuildStepAsync(id, BuildConfigs.Copy(state.RunConfig), stepConfig, state.Maintainer, images, ct).ConfigureAwait(false);
    }

    private string? Probe(StageState state, ContainerConfig stepConfig) => _cache.Probe(state.ImageId, stepConfig);

    private async Task UseCacheAsync(StageState state, string imageId, CancellationToken ct)
    {
        await output.StreamAsync(" ---> Using cache\n", ct).ConfigureAwait(false);
        state.ImageId = imageId;
    }

    /// <summary>dockerd's <c>create</c>: the container of a step, with the build's host settings, announced as "Running in".</summary>
    private async Task<string> CreateStepContainerAsync(StageState state, ContainerConfig config, CancellationToken ct)
    {
        var run = BuildConfigs.Copy(config);
        run.Image = state.ImageId ?? "";
        var id = await containers.CreateBuildContainerAsync(run, HostConfig(), ct).ConfigureAwait(false);
        _stepContainers.Add(id);
        await output.StreamAsync($" ---> Running in {id[..12]}\n", ct).ConfigureAwait(false);
        return id;
    }

    private HostConfig HostConfig() => new()
    {
        NetworkMode = string.IsNullOrEmpty(request.NetworkMode) ? "default" : request.NetworkMode,
        ExtraHosts = request.ExtraHosts.Count > 0 ? [.. request.ExtraHosts] : null,
        ShmSize = request.ShmSize,
        Memory = request.Memory,
        MemorySwap = request.MemorySwap,
        CpuShares = request.CpuShares,
        CpuPeriod = request.CpuPeriod,
        CpuQuota = request.CpuQuota,
        CpusetCpus = request.CpusetCpus ?? "",
        CpusetMems = request.CpusetMems ?? "",
    };

    private async Task RemoveStepContainersAsync(CancellationToken ct)
    {
        foreach (var id in _stepContainers)
        {
            try
            {
                // Removed even when the client has gone (a cancelled build with forcerm).
                await containers.RemoveAsync(id, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
                if (!ct.IsCancellationRequested) await output.StreamAsync($"Removing intermediate container {id[..12]}\n", ct).ConfigureAwait(false);
            }
            catch (BerthException e)
            {
                logger.LogWarning("Removing intermediate container {Id}: {Message}", id, e.Message);
            }
        }
        _stepContainers.Clear();
    }

    /// <summary>
    /// The <c>--label</c> values as dockerd 20.10 appends them to the last stage: one <c>LABEL k=v</c> step per
    /// label, sorted; the values are quoted for the lexer so that nothing in them expands.
    /// </summary>
    private IEnumerable<DockerfileInstruction> LabelOptions() =>
        request.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new DockerfileInstruction(
            "label", new Dictionary<string, string>(), $"{Literal(l.Key)}={Literal(l.Value)}", null, 0, 0, $"LABEL {l.Key}={l.Value}"));

    /// <summary>A word the lexer reads back unchanged: single-quoted, with single quotes themselves in double quotes.</summary>
    private static string Literal(string text) => "'" + text.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
}
