namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Build contexts written to the daemon's scratch directory, and <c>docker build</c> with the classic builder.</summary>
public static class BuildContexts
{
    /// <summary>A directory holding the given files (relative path → content), a Dockerfile among them usually.</summary>
    public static string Write(BerthDaemon daemon, string name, params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(daemon.Root, "contexts", name);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        return dir;
    }

    /// <summary><c>docker build ARGS</c> with DOCKER_BUILDKIT=0, which makes the CLI use POST /build (the classic builder).</summary>
    public static Task<CommandResult> BuildAsync(this BerthDaemon daemon, params string[] args) =>
        Processes.RunAsync(TestPaths.DockerCli, ["build", .. args], new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = daemon.Host,
            ["DOCKER_CONFIG"] = daemon.DockerConfig,
            ["DOCKER_CLI_HINTS"] = "false",
            ["DOCKER_BUILDKIT"] = "0",
        }, stdin: null, timeout: TimeSpan.FromMinutes(3));
}
