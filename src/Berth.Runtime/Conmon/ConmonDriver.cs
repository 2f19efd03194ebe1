using System.Text;
using System.Text.Json;
using Berth.Runtime.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Conmon;

/// <summary>
/// Starts containers and exec sessions under conmon, which then holds their stdio, writes their
/// log and records their exit code in <see cref="ExitDirectory"/>, outliving berthd. The
/// container is left created (not started) with its PID known; <see cref="Runc.StartAsync"/> starts it.
/// </summary>
public sealed class ConmonDriver(string conmonPath, Runc runc, string exitDirectory)
{
    public Runc Runc { get; } = runc;

    /// <summary>conmon writes a file named after the container here, holding its exit code, when it ends.</summary>
    public string ExitDirectory { get; } = exitDirectory;

    /// <summary>Runs <c>runc create</c> under a new conmon and returns (container PID, conmon PID).</summary>
    public async Task<(int Pid, int MonitorPid)> CreateAsync(MonitorLaunch launch, CancellationToken ct)
    {
        Directory.CreateDirectory(ExitDirectory);
        var bundle = launch.BundleDirectory;
        var args = new List<string>
        {
            "conmon", "--api-version", "1",
            "-c", launch.ContainerId, "-u", launch.ContainerId, "-n", launch.Name,
            "-r", Runc.Binary, "-b", bundle,
            "-p", MonitorFiles.PidFile(bundle), "-P", MonitorFiles.MonitorPidFile(bundle),
            "--exit-dir", ExitDirectory, "--full-attach", "--socket-dir-path", bundle,
            "-l", "k8s-file:" + launch.LogPath, "--log-level", "error", "--no-sync-log",
        };
        foreach (var global in Runc.GlobalArgs) args.AddRange(["--runtime-arg", global]);
        if (launch.Stdin) args.Add("-i");
        if (launch.Tty) args.Add("-t");
        if (launch.LeaveStdinOpen) args.Add("--leave-stdin-open");

        var message = await SpawnAndReadSyncAsync(args, ct).ConfigureAwait(false);
        var pid = message.Data;
        if (pid <= 0) throw new RuntimeException(CleanMessage(message.Message ?? "the container monitor failed to create the container"));
        var monitorPid = int.Parse(File.ReadAllText(MonitorFiles.MonitorPidFile(bundle)).Trim());
        return (pid, monitorPid);
    }

    /// <summary>
    /// Starts the monitor of an exec session and waits until its attach socket is ready; the
    /// process itself runs only when <see cref="ExecProcess.RunAsync"/> is called.
    /// </summary>
    public async Task<ExecProcess> StartExecAsync(ExecLaunch launch, CancellationToken ct)
    {
        var args = new List<string>
        {
            "conmon", "--api-version", "1",
            "-c", launch.ContainerId, "-u", launch.ExecId, "-n", launch.ExecId,
            "-r", Runc.Binary, "-b", launch.Directory, "-p", MonitorFiles.PidFile(launch.Directory),
            "--exit-dir", launch.Directory, "--full-attach", "--socket-dir-path", launch.Directory,
            "-l", "none", "--log-level", "error", "--no-sync-log",
            "-e", "--exec-attach", "--exec-process-spec", launch.ProcessSpecPath,
        };
        foreach (var global in Runc.GlobalArgs) args.AddRange(["--runtime-arg", global]);
        if (launch.Stdin) args.Add("-i");
        if (launch.Tty) args.Add("-t");

        var (syncRead, syncWrite) = Posix.Pipe();
        var (startRead, startWrite) = Posix.Pipe();
        var (attachRead, attachWrite) = Posix.Pipe();
        int child;
        try
        {
            child = SpawnMonitor(args, ["_OCI_SYNCPIPE=3", "_OCI_STARTPIPE=4", "_OCI_ATTACHPIPE=5"], syncWrite, startRead, attachWrite);
        }
        catch
        {
            ExecProcess.CloseQuietly(syncRead, startWrite, attachRead);
            throw;
        }
        finally
        {
            ExecProcess.CloseQuietly(syncWrite, startRead, attachWrite);
        }
        var exec = new ExecProcess(startWrite, syncRead, MonitorFiles.AttachSocket(launch.Directory));
        try
        {
            // The first byte lets conmon fork its monitor (its first process then exits); the monitor
            // reports on the attach pipe once its socket listens.
            var reaped = Task.Run(() => Posix.WaitChild(child), CancellationToken.None);
            await using var attach = new SyncPipeReader(new FileStream(new SafeFileHandle(attachRead, ownsHandle: true), FileAccess.Read, 1));
            await exec.SignalStartAsync(ct).ConfigureAwait(false);
            var ready = await attach.ReadAsync(ct).ConfigureAwait(false);
            await reaped.ConfigureAwait(false);
            if (ready is null) throw new RuntimeException("the exec monitor exited before it was ready");
            return exec;
        }
        catch
        {
            await exec.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Spawns conmon with /dev/null as its stdio and <paramref name="pipes"/> as descriptors 3, 4, ….</summary>
    private int SpawnMonitor(List<string> args, string[] pipeVariables, params int[] pipes)
    {
        using var devNull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var nullFd = (int)devNull.DangerousGetHandle();
        return Posix.Spawn(ConmonPath, args, [.. pipeVariables, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            [nullFd, nullFd, nullFd, .. pipes], newSession: false);
    }

    /// <summary>The exit code conmon recorded for <paramref name="id"/>, or null when it has not written one.</summary>
    public int? ReadExitCode(string id)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(ExitDirectory, id)).Trim();
            return int.TryParse(text, out var code) ? code : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void ForgetExit(string id)
    {
        if (Directory.Exists(ExitDirectory)) File.Delete(Path.Combine(ExitDirectory, id));
    }

    private async Task<SyncMessage> SpawnAndReadSyncAsync(List<string> args, CancellationToken ct)
    {
        var (readEnd, writeEnd) = Posix.Pipe();
        int child;
        try
        {
            child = SpawnMonitor(args, ["_OCI_SYNCPIPE=3"], writeEnd);
        }
        finally
        {
            Posix.Close(writeEnd);
        }
        // conmon's first process forks the monitor and exits; reap it so it leaves no zombie.
        var reaped = Task.Run(() => Posix.WaitChild(child), CancellationToken.None);
        using var stream = new FileStream(new SafeFileHandle(readEnd, ownsHandle: true), FileAccess.Read, 1);
        var text = await ReadFirstObjectAsync(stream, ct).ConfigureAwait(false);
        await reaped.ConfigureAwait(false);
        if (text is null) throw new RuntimeException("the container monitor exited without reporting");
        return JsonSerializer.Deserialize(text, ConmonJson.Default.SyncMessage)
               ?? throw new RuntimeException("the container monitor sent an empty report");
    }

    private string ConmonPath => conmonPath;

    /// <summary>Reads the first JSON object conmon writes (it may keep the pipe open for later messages).</summary>
    private static async Task<string?> ReadFirstObjectAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (true)
        {
            var n = await stream.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0) return text.Length > 0 ? text.ToString() : null;
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            var s = text.ToString();
            var end = s.IndexOf('}');
            if (end >= 0) return s[..(end + 1)];
        }
    }

    /// <summary>runc's create error as dockerd shows it: without conmon's and runc's log decoration.</summary>
    internal static string CleanMessage(string message)
    {
        var text = message.Trim();
        var msg = text.LastIndexOf("msg=\"", StringComparison.Ordinal);
        if (msg >= 0) text = text[(msg + 5)..].TrimEnd('"');
        return text.Replace("\\\"", "\"", StringComparison.Ordinal).Trim();
    }
}
