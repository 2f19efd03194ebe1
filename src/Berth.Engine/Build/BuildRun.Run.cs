using Berth.Api.Wire;
using Berth.Dockerfile;

namespace Berth.Engine.Build;

public sealed partial class BuildRun
{
    /// <summary>
    /// RUN (dockerd's <c>dispatchRun</c>): the command runs in a container of the current image with
    /// the stage's configuration and the allowed build args in its environment; the cache key shows
    /// those args as <c>|N K=v … CMD</c>. A non-zero exit ends the build with the exit code.
    /// </summary>
    private async Task RunInstructionAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        var command = CommandLine(state, instruction);
        var buildArgs = state.Args.FilterAllowed(state.Environment());
        var saved = buildArgs.Count > 0 ? WithArgsPrefix(state.Args, buildArgs, command) : command;

        var probe = BuildConfigs.Copy(state.RunConfig);
        probe.Cmd = saved;
        probe.ArgsEscaped = false;
        if (saved.Count > 0) probe.Entrypoint = null;
        if (Probe(state, probe) is { } cached)
        {
            await UseCacheAsync(state, cached, ct).ConfigureAwait(false);
            return;
        }

        var run = BuildConfigs.Copy(state.RunConfig);
        run.Cmd = command;
        run.ArgsEscaped = false;
        run.Env = [.. run.Env ?? [], .. buildArgs];
        if (saved.Count > 0) run.Entrypoint = [];
        run.Healthcheck = new HealthConfig { Test = ["NONE"] };
        var id = await CreateStepContainerAsync(state, run, ct).ConfigureAwait(false);
        var code = await containers.RunBuildContainerAsync(id, output.ContainerOutputAsync, ct).ConfigureAwait(false);
        if (code != 0) throw new BuildStepFailedException($"The command '{string.Join(' ', command)}' returned a non-zero code: {code}", code);
        state.ImageId = await containers.CommitBuildStepAsync(id, BuildConfigs.Copy(state.RunConfig), probe, state.Maintainer, images, ct).ConfigureAwait(false);
    }

    /// <summary>dockerd's <c>prependEnvOnCmd</c>: <c>|COUNT</c>, the args (sorted; predefined ones only when declared), then the command.</summary>
    private static List<string> WithArgsPrefix(BuildArgs args, List<string> buildArgs, List<string> command)
    {
        var shown = buildArgs.Where(a => args.IsReferencedOrNotBuiltin(a[..a.IndexOf('=')])).Order(StringComparer.Ordinal).ToList();
        return [$"|{shown.Count}", .. shown, .. command];
    }

    /// <summary>WORKDIR: relative to the current one, variables expanded, and made in a container of the step (an empty step when it exists).</summary>
    private async Task WorkdirAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        var dir = _lexer.ProcessWord(instruction.Arguments.Trim(), state.ExpansionEnvironment());
        if (dir.Length == 0) throw Api.Errors.BerthException.InvalidParameter("WORKDIR requires exactly one argument");
        var current = string.IsNullOrEmpty(state.RunConfig.WorkingDir) ? "/" : state.RunConfig.WorkingDir;
        state.RunConfig.WorkingDir = Api.GoPath.Clean(dir.StartsWith('/') ? dir : current + "/" + dir);
        var stepConfig = BuildConfigs.WithNopCommentString(state.RunConfig, state.Shell(), "WORKDIR " + state.RunConfig.WorkingDir);
        if (Probe(state, stepConfig) is { } cached)
        {
            await UseCacheAsync(state, cached, ct).ConfigureAwait(false);
            return;
        }
        await CommitThroughContainerAsync(state, stepConfig, ct,
            id => containers.CreateWorkdirAsync(id, state.RunConfig.WorkingDir, ct)).ConfigureAwait(false);
    }
}
