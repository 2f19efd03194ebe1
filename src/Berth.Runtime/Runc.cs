namespace Berth.Runtime;

/// <summary>
/// The runc subcommands berthd runs itself (conmon runs <c>create</c>): start, kill, delete,
/// pause, resume and update, all against one state directory (<c>--root</c>).
/// </summary>
public sealed class Runc(string binary, string stateRoot)
{
    public string Binary { get; } = binary;
    public string StateRoot { get; } = stateRoot;

    /// <summary>The global options conmon passes to runc for us.</summary>
    public IReadOnlyList<string> GlobalArgs => ["--root", StateRoot];

    /// <summary>
    /// Starts a created container. This is what <c>runc start</c> does, without starting a runc
    /// process: the container's init waits to open runc's exec fifo for writing; opening it for
    /// reading and reading it lets init exec the container's command, and removing it marks the
    /// container running for runc. Falls back to <c>runc start</c> when there is no fifo.
    /// </summary>
    public async Task StartAsync(string id, int initPid, CancellationToken ct)
    {
        var fifo = Path.Combine(StateRoot, id, "exec.fifo");
        if (!File.Exists(fifo))
        {
            await RunAsync(ct, "start", id).ConfigureAwait(false);
            return;
        }
        var read = Task.Run(() => ReadFifo(fifo), CancellationToken.None);
        while (await Task.WhenAny(read, Task.Delay(100, ct)).ConfigureAwait(false) != read)
        {
            if (Native.Posix.Kill(initPid, 0)) continue;
            // Init died before opening its end: open the writing end ourselves so the reader returns.
            Native.Posix.Close(Native.Posix.OpenNonBlockingWrite(fifo));
            await read.ConfigureAwait(false);
            throw new RuntimeException("container process is already dead");
        }
        if (await read.ConfigureAwait(false) == 0) throw new RuntimeException("cannot start an already running container");
        File.Delete(fifo);
    }

    private static int ReadFifo(string fifo)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var buffer = new byte[64];
        int total = 0, n;
        while ((n = stream.Read(buffer)) > 0) total += n;
        return total;
    }

    /// <summary>Sends a signal to the container's init (or to all its processes); false when it is not running.</summary>
    public async Task<bool> KillAsync(string id, int signal, bool all, CancellationToken ct)
    {
        var result = await CommandRunner.RunAsync(Binary, [.. GlobalArgs, "kill", .. (all ? new[] { "--all" } : []), id, signal.ToString()], ct: ct).ConfigureAwait(false);
        if (result.ExitCode == 0) return true;
        if (NotRunning(result.Stderr)) return false;
        throw new RuntimeException(Message(result));
    }

    /// <summary>Removes runc's state of a stopped container (<c>--force</c> kills it first); no error when there is none.</summary>
    public async Task DeleteAsync(string id, bool force, CancellationToken ct)
    {
        var result = await CommandRunner.RunAsync(Binary, [.. GlobalArgs, "delete", .. (force ? new[] { "--force" } : []), id], ct: ct).ConfigureAwait(false);
        if (result.ExitCode != 0 && !result.Stderr.Contains("does not exist", StringComparison.Ordinal))
            throw new RuntimeException(Message(result));
    }

    public Task PauseAsync(string id, CancellationToken ct) => RunAsync(ct, "pause", id);

    public Task ResumeAsync(string id, CancellationToken ct) => RunAsync(ct, "resume", id);

    /// <summary>Applies new cgroup limits to a running container (<c>runc update -r -</c>), which also keeps runc's own state in step.</summary>
    public async Task UpdateAsync(string id, Oci.SpecResources resources, CancellationToken ct)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(resources, Oci.OciJson.Default.SpecResources);
        var result = await CommandRunner.RunAsync(Binary, [.. GlobalArgs, "update", "-r", "-", id], json, ct).ConfigureAwait(false);
        if (result.ExitCode != 0) throw new RuntimeException(Message(result));
    }

    private async Task RunAsync(CancellationToken ct, params string[] args)
    {
        var result = await CommandRunner.RunAsync(Binary, [.. GlobalArgs, .. args], ct: ct).ConfigureAwait(false);
        if (result.ExitCode != 0) throw new RuntimeException(Message(result));
    }

    private static bool NotRunning(string stderr) =>
        stderr.Contains("not running", StringComparison.Ordinal) || stderr.Contains("does not exist", StringComparison.Ordinal)
        || stderr.Contains("process already finished", StringComparison.Ordinal);

    /// <summary>runc's own message without its log decoration.</summary>
    private static string Message(CommandResult result)
    {
        var text = result.Stderr.Trim();
        var lines = text.Split('\n');
        // The error line, not a warning logged before it (runc update warns when it cannot restore the old limits).
        foreach (var line in lines.Where(l => l.Contains("level=error", StringComparison.Ordinal)).Concat(lines))
        {
            var msg = line.IndexOf("msg=\"", StringComparison.Ordinal);
            if (msg >= 0) return line[(msg + 5)..].TrimEnd('"').Replace("\\\"", "\"", StringComparison.Ordinal);
        }
        return text.Length > 0 ? text : $"runc exited with code {result.ExitCode}";
    }
}

/// <summary>A failure reported by the OCI runtime or the monitor, with their message.</summary>
public sealed class RuntimeException(string message) : Exception(message);
