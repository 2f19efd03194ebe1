namespace Berth.Daemon.Hosting;

/// <summary>Finds the helper programs berthd runs: runc, conmon and a static init for <c>--init</c>.</summary>
public static class RuntimeTools
{
    private static readonly string[] SearchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="name"/>; a clear failure when it is not installed.</summary>
    public static string Find(string name) =>
        SearchPath.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{name} is not installed; berthd needs it to run containers (./install.sh installs it)");

    /// <summary>tini, statically linked (so it runs in any image), as Debian's <c>tini</c> package installs it; null when absent.</summary>
    public static string? InitPath() =>
        new[] { "/usr/bin/tini-static", "/usr/local/bin/docker-init", "/usr/bin/docker-init" }.FirstOrDefault(File.Exists);
}
