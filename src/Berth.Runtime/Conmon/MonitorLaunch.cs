namespace Berth.Runtime.Conmon;

/// <summary>How to start one container under its monitor.</summary>
public sealed record MonitorLaunch
{
    public required string ContainerId { get; init; }
    public required string Name { get; init; }

    /// <summary>The OCI bundle: config.json is here, and conmon puts its attach socket and control fifos here.</summary>
    public required string BundleDirectory { get; init; }

    public required string LogPath { get; init; }
    public bool Stdin { get; init; }
    public bool Tty { get; init; }

    /// <summary>Keep the container's stdin open when an attached client closes its own.</summary>
    public bool LeaveStdinOpen { get; init; }
}

/// <summary>Where conmon keeps a running container's files inside its bundle.</summary>
public static class MonitorFiles
{
    public static string PidFile(string bundle) => Path.Combine(bundle, "pidfile");
    public static string MonitorPidFile(string bundle) => Path.Combine(bundle, "conmon.pid");
    public static string AttachSocket(string bundle) => Path.Combine(bundle, "attach");
    public static string ControlFifo(string bundle) => Path.Combine(bundle, "ctl");
    public static string WindowSizeFifo(string bundle) => Path.Combine(bundle, "winsz");
}
