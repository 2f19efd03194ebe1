using Berth.Api.Wire;

namespace Berth.Engine.Build;

/// <summary>Where a stage's build stands (dockerd's <c>dispatchState</c>): its image so far, its configuration, its args.</summary>
public sealed class StageState(int index, string? name, BuildArgs args)
{
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public int Index { get; } = index;
    public string? Name { get; } = name;
    public BuildArgs Args { get; } = args;
    /// <summary>The image the stage has reached; null while a <c>FROM scratch</c> stage has committed nothing.</summary>
    public string? ImageId { get; set; }
    public ContainerConfig RunConfig { get; set; } = new();
    public string? Maintainer { get; set; }
    /// <summary>Whether this stage set CMD: an ENTRYPOINT then keeps it, else ENTRYPOINT clears the inherited one.</summary>
    public bool CmdSet { get; set; }

    /// <summary>The configuration's environment as a map (later entries win), for variable expansion.</summary>
    public Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in RunConfig.Env ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0) env[entry[..eq]] = entry[(eq + 1)..];
            else env[entry] = "";
        }
        return env;
    }

    /// <summary>What instructions expand variables with: the environment, then the allowed args it does not shadow.</summary>
    public Dictionary<string, string> ExpansionEnvironment()
    {
        var env = Environment();
        foreach (var (key, value) in Args.Allowed()) env.TryAdd(key, value);
        return env;
    }

    /// <summary>The shell of the shell forms: SHELL's, else <c>/bin/sh -c</c>.</summary>
    public List<string> Shell() => RunConfig.Shell is { Count: > 0 } shell ? [.. shell] : ["/bin/sh", "-c"];

    /// <summary>dockerd's <c>beginStage</c>: the base image's configuration, a default PATH, no stdin.</summary>
    public void Begin(string? imageId, ContainerConfig? baseConfig)
    {
        ImageId = imageId;
        RunConfig = baseConfig is null ? new ContainerConfig() : BuildConfigs.Copy(baseConfig);
        if (!(RunConfig.Env ?? []).Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
            RunConfig.Env = [.. RunConfig.Env ?? [], DefaultPath];
        RunConfig.OpenStdin = false;
        RunConfig.StdinOnce = false;
        RunConfig.Image = imageId ?? "";
    }
}
