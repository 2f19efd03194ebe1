using System.Diagnostics;
using System.Text;
using Berth.Client;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// One berthd for a test: its own network and UTS namespace, data root, exec root, socket and
/// configuration file. <see cref="DockerAsync"/> drives it with the real docker CLI and
/// <see cref="Client"/> with the Berth SDK. Disposing stops it and removes every trace —
/// processes, mounts, namespace, directories — whatever state the test left it in.
/// </summary>
public sealed class BerthDaemon : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly string[] _extraArgs;
    private Process? _process;

    private BerthDaemon(NetworkNamespace ns, string root, string[] extraArgs)
    {
        Namespace = ns;
        Root = root;
        _extraArgs = extraArgs;
        Client = new BerthClient(Host);
        DockerConfig = Path.Combine(root, "docker-config");
        Directory.CreateDirectory(DockerConfig);
    }

    public NetworkNamespace Namespace { get; }
    public string Root { get; }
    public string DataRoot => Path.Combine(Root, "data");
    /// <summary>Short, because container sockets under it must fit a unix socket path.</summary>
    public string ExecRoot => Path.Combine("/run/bt", Namespace.Name);

    /// <summary>Each test daemon's containers live in cgroups of their own, removed with it.</summary>
    public string CgroupParent => "/berth-test-" + Namespace.Name;
    public string Socket => Path.Combine(ExecRoot, "berth.sock");
    public string ConfigFile => Path.Combine(Root, "daemon.json");
    public string Host => $"unix://{Socket}";
    public string DockerConfig { get; }
    public string HostName => Namespace.Name;
    public BerthClient Client { get; }
    public int Pid => _process?.Id ?? 0;
    public Process? Process => _process;

    /// <summary>Everything berthd printed so far.</summary>
    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <param name="config">daemon.json content; "{}" when null.</param>
    public static async Task<BerthDaemon> StartAsync(string? config = null, params string[] extraArgs)
    {
        var ns = await NetworkNamespace.CreateAsync();
        var root = Path.Combine(TestPaths.ScratchRoot, ns.Name);
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "daemon.json"), config ?? "{}");
        var daemon = new BerthDaemon(ns, root, extraArgs);
        try
        {
            await daemon.StartProcessAsync();
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
        return daemon;
    }

    /// <summary>Starts a daemon as <see cref="StartAsync"/> does and loads the busybox test image into it.</summary>
    public static async Task<BerthDaemon> StartWithBusyboxAsync(string? config = null, params string[] extraArgs)
    {
        var daemon = await StartAsync(config, extraArgs);
        try
        {
            (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
        return daemon;
    }

    /// <summary>The command line berthd runs with: the test's own directories first, then the test's extra flags.</summary>
    public IReadOnlyList<string> Arguments =>
    [
        "--data-root", DataRoot, "--exec-root", ExecRoot, "-H", Host, "--config-file", ConfigFile, "--cgroup-parent", CgroupParent, .. _extraArgs,
    ];

    /// <summary>Starts berthd (again) in this daemon's namespaces and waits until it answers /_ping.</summary>
    public async Task StartProcessAsync(TimeSpan? timeout = null)
    {
        _process = LaunchInNamespace(TestPaths.Berthd, Arguments);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"berthd exited with {_process.ExitCode} before answering /_ping:\n{Log}");
            try
            {
                if (await Client.PingAsync() == "OK") return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"berthd did not answer /_ping in time:\n{Log}");
            await Task.Delay(20);
        }
    }

    /// <summary>Starts a process in this daemon's network namespace, in a UTS namespace whose hostname is the namespace's name.</summary>
    public Process LaunchInNamespace(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("nsenter")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[$"--net={Namespace.Path}", "--", "unshare", "--uts", "--", "/bin/sh", "-c", "hostname \"$0\" && exec \"$@\"", HostName, file, .. args])
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start berthd");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>Runs the docker CLI against this daemon.</summary>
    public Task<CommandResult> DockerAsync(params string[] args) => DockerAsync(args, stdin: null);

    public Task<CommandResult> DockerAsync(IEnumerable<string> args, Stream? stdin, TimeSpan? timeout = null) =>
        Processes.RunAsync(TestPaths.DockerCli, args, new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = Host,
            ["DOCKER_CONFIG"] = DockerConfig,
            ["DOCKER_CLI_HINTS"] = "false",
        }, stdin, timeout);

    /// <summary>SIGTERM, then waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(int signal = Processes.SIGTERM, TimeSpan? timeout = null)
    {
        if (_process is null || _process.HasExited) return _process?.ExitCode ?? 0;
        Processes.Signal(_process.Id, signal);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>
    /// What a host reboot does to this daemon: berthd stops, every monitor and container process
    /// dies, and the exec root (tmpfs /run on a real host) and the containers' cgroups are gone,
    /// with every mount under it. The data root stays. Start berthd again with <see cref="StartProcessAsync"/>.
    /// </summary>
    public async Task SimulateRebootAsync()
    {
        await StopAsync();
        await Containers.KillAllAsync(ExecRoot, CgroupParent);
        await Mounts.UnmountAllUnderAsync(ExecRoot);
        Containers.RemoveCgroups(CgroupParent);
        if (Directory.Exists(ExecRoot)) Directory.Delete(ExecRoot, recursive: true);
    }

    /// <summary>SIGKILL, as a crash.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        Processes.Signal(_process.Id, Processes.SIGKILL);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                try
                {
                    await StopAsync(timeout: TimeSpan.FromSeconds(10));
                }
                catch (OperationCanceledException)
                {
                    await KillAsync();
                }
            }
        }
        finally
        {
            Client.Dispose();
            await Containers.KillAllAsync(ExecRoot, CgroupParent);
            await Namespace.DisposeAsync();
            await Mounts.UnmountAllUnderAsync(ExecRoot);
            await Mounts.UnmountAllUnderAsync(Root);
            Containers.RemoveCgroups(CgroupParent);
            if (Directory.Exists(ExecRoot)) Directory.Delete(ExecRoot, recursive: true);
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
    }
}
