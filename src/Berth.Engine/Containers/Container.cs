namespace Berth.Engine.Containers;

/// <summary>
/// One container as the engine holds it: the persisted <see cref="ContainerRecord"/>, the lock
/// that serialises its lifecycle operations, and the signals its waiters listen to.
/// </summary>
public sealed class Container(ContainerRecord record, string directory, string runDirectory)
{
    private TaskCompletionSource<int> exited = NewSignal<int>();
    private readonly TaskCompletionSource<int> removed = NewSignal<int>();

    public ContainerRecord Record { get; } = record;
    public string Id => Record.Id;
    public string Name => Record.Name;

    /// <summary>Persistent files: config.v2.json, the log, hostname, hosts, resolv.conf.</summary>
    public string Directory { get; } = directory;

    /// <summary>Files that live while it runs: the bundle, the monitor's pid file, the attach socket.</summary>
    public string RunDirectory { get; } = runDirectory;

    public string LogPath => System.IO.Path.Combine(Directory, "container.log");
    public string RootfsPath => System.IO.Path.Combine(RunDirectory, "rootfs");

    /// <summary>
    /// Set when the user stops or kills the current run, so its end is not undone by the restart
    /// policy (dockerd's cancelled restart manager); cleared by the next start. Not persisted: a new
    /// berthd decides from the policy and <see cref="ContainerRecord.ManuallyStopped"/> alone.
    /// </summary>
    public bool RestartCanceled { get; set; }

    /// <summary>Held by every operation that changes the container's state.</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);

    /// <summary>The running container's OCI process (from its bundle's config.json), the base of its exec sessions; null until read.</summary>
    public Berth.Runtime.Oci.SpecProcess? Process { get; set; }

    /// <summary>A handle on the running container's init, or null (then signals go through runc).</summary>
    public Berth.Runtime.ProcessHandle? Init { get; set; }

    /// <summary>Stops the health probes of the current run; null when none run.</summary>
    public CancellationTokenSource? HealthMonitor { get; set; }

    /// <summary>Exec sessions of this container, by ID.</summary>
    public HashSet<string> ExecIds { get; } = [];

    /// <summary>Attach requests waiting for the container to start; each gets the monitor connection made for it at start, or null when the start failed.</summary>
    public List<TaskCompletionSource<System.Net.Sockets.Socket?>> WaitingAttachers { get; } = [];

    public bool IsRunning => Record.Status is ContainerStatus.Running or ContainerStatus.Paused;

    /// <summary>Completes with the exit code when the current run ends.</summary>
    public Task<int> NextExit
    {
        get
        {
            lock (this) return exited.Task;
        }
    }

    public Task<int> Removed => removed.Task;

    /// <summary>Wakes the waiters of the run that just ended and arms the signal for the next run.</summary>
    public void SignalExit(int exitCode)
    {
        TaskCompletionSource<int> signal;
        lock (this)
        {
            signal = exited;
            exited = NewSignal<int>();
        }
        signal.TrySetResult(exitCode);
    }

    public void SignalRemoved() => removed.TrySetResult(Record.ExitCode);

    private static TaskCompletionSource<T> NewSignal<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
