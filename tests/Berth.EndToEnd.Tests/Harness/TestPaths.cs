namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Where the pieces under test are: the repository, the berthd build, the docker CLI, scratch space.</summary>
public static class TestPaths
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The berthd built alongside these tests (same configuration), or <c>$BERTHD</c>.</summary>
    public static string Berthd { get; } = Environment.GetEnvironmentVariable("BERTHD") is { Length: > 0 } b ? b : FindBerthd();

    /// <summary>The docker CLI the brief names (v28), or <c>$DOCKER_CLI</c>.</summary>
    public static string DockerCli { get; } = Environment.GetEnvironmentVariable("DOCKER_CLI") is { Length: > 0 } d ? d : "/usr/local/bin/docker";

    /// <summary>Scratch space on disk (overlayfs needs a real filesystem, not tmpfs), short enough for unix socket paths.</summary>
    public const string ScratchRoot = "/var/lib/berth-test";

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Berth.slnx) above " + AppContext.BaseDirectory);
    }

    private static string FindBerthd()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var path = Path.Combine(RepositoryRoot, "src", "Berth.Daemon", "bin", configuration, "net10.0", "berthd");
        if (!File.Exists(path)) throw new InvalidOperationException($"berthd is not built at {path}; build the solution first");
        return path;
    }
}
