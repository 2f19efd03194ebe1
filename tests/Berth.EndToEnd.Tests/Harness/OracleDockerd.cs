namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// Debian's dockerd (the oracle) in a network namespace of its own, started and removed by
/// <c>scripts/oracle-dockerd.sh</c>, for tests that check Berth against the real thing.
/// </summary>
public sealed class OracleDockerd : IAsyncDisposable
{
    private static int _started;
    private readonly string _name;

    private OracleDockerd(string name, string host)
    {
        _name = name;
        Host = host;
        DockerConfig = Path.Combine("/var/lib/berth-oracle", name, "docker-config");
        Directory.CreateDirectory(DockerConfig);
    }

    public string Host { get; }

    /// <summary>The oracle's network namespace (the script names it after the instance).</summary>
    public string NetworkNamespacePath => $"/run/netns/{_name}";
    public string DockerConfig { get; }

    private static string Script => Path.Combine(TestPaths.RepositoryRoot, "scripts", "oracle-dockerd.sh");

    public static async Task<OracleDockerd> StartAsync()
    {
        if (!File.Exists("/usr/sbin/dockerd"))
            throw new InvalidOperationException("Debian's dockerd (package docker.io) is needed for this test; .ci/run installs it");
        // Test classes run in parallel, so each oracle of this process needs a name of its own.
        var name = $"bto-{Environment.ProcessId}-{Interlocked.Increment(ref _started)}";
        var result = await Processes.RunAsync(Script, ["start", name], timeout: TimeSpan.FromMinutes(2));
        result.AssertSuccess();
        return new OracleDockerd(name, result.Lines[^1].Trim());
    }

    public Task<CommandResult> DockerAsync(params string[] args) => DockerAsync(args, null);

    public Task<CommandResult> DockerAsync(IEnumerable<string> args, IDictionary<string, string>? extraEnvironment) =>
        Processes.RunAsync(TestPaths.DockerCli, args, new Dictionary<string, string>(extraEnvironment ?? new Dictionary<string, string>())
        {
            ["DOCKER_HOST"] = Host,
            ["DOCKER_CONFIG"] = DockerConfig,
        }, timeout: TimeSpan.FromMinutes(3));

    public async ValueTask DisposeAsync() => await Processes.RunAsync(Script, ["stop", _name], timeout: TimeSpan.FromMinutes(2));
}
