namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// A network namespace made for one test (only <c>lo</c>, brought up), named after this test
/// process so that leftovers of a crashed run are recognised and swept by the next one.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private static int _counter;
    private static readonly Lazy<Task> Sweep = new(SweepStaleAsync);

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }
    public string Path => $"/run/netns/{Name}";

    public static async Task<NetworkNamespace> CreateAsync()
    {
        await Sweep.Value;
        var name = $"bt-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";
        (await Processes.RunAsync("ip", "netns", "add", name)).AssertSuccess();
        var ns = new NetworkNamespace(name);
        (await ns.RunAsync("ip", "link", "set", "lo", "up")).AssertSuccess();
        return ns;
    }

    /// <summary>Runs a command inside the namespace (network only; mounts and /sys stay the host's).</summary>
    public Task<CommandResult> RunAsync(string file, params string[] args) =>
        Processes.RunAsync("nsenter", [$"--net={Path}", "--", file, .. args]);

    /// <summary>Processes whose network namespace this is.</summary>
    public async Task<int[]> PidsAsync()
    {
        var result = await Processes.RunAsync("ip", "netns", "pids", Name);
        return result.Lines.Select(l => int.TryParse(l.Trim(), out var pid) ? pid : 0).Where(p => p > 0).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pid in await PidsAsync()) Processes.Signal(pid, Processes.SIGKILL);
        await Processes.RunAsync("ip", "netns", "delete", Name);
    }

    /// <summary>Deletes namespaces left by earlier test processes that no longer run.</summary>
    private static async Task SweepStaleAsync()
    {
        var list = await Processes.RunAsync("ip", "netns", "list");
        foreach (var line in list.Lines)
        {
            var name = line.Split(' ')[0];
            var parts = name.Split('-');
            if (parts.Length != 3 || parts[0] != "bt" || !int.TryParse(parts[1], out var owner) || Processes.IsAlive(owner)) continue;
            var pids = await Processes.RunAsync("ip", "netns", "pids", name);
            foreach (var pid in pids.Lines) if (int.TryParse(pid, out var p)) Processes.Signal(p, Processes.SIGKILL);
            await Processes.RunAsync("ip", "netns", "delete", name);
        }
    }
}
