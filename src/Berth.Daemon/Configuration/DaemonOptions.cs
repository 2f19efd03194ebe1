namespace Berth.Daemon.Configuration;

/// <summary>berthd's settings after flags and the configuration file are merged.</summary>
public sealed record DaemonOptions
{
    public const string DefaultDataRoot = "/var/lib/berth";
    public const string DefaultExecRoot = "/run/berth";
    public const string DefaultConfigFile = "/etc/berth/daemon.json";
    public const string DefaultCgroupParent = "/berth";

    public IReadOnlyList<HostAddress> Hosts { get; init; } = [HostAddress.Parse("")];
    public string DataRoot { get; init; } = DefaultDataRoot;
    public string ExecRoot { get; init; } = DefaultExecRoot;
    /// <summary>Defaults to <c>berthd.pid</c> in the exec root, so daemons with their own exec roots never share one.</summary>
    public string? PidFile { get; init; }
    public string ConfigFile { get; init; } = DefaultConfigFile;
    public bool Debug { get; init; }
    public string LogLevel { get; init; } = "info";
    /// <summary>Null: overlay2 where the kernel supports it, else vfs.</summary>
    public string? StorageDriver { get; init; }
    /// <summary>The group given read-write access to unix sockets (dockerd's <c>-G</c>).</summary>
    public string Group { get; init; } = "docker";
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>The cgroup under which each container gets its own (dockerd's <c>--cgroup-parent</c>).</summary>
    public string CgroupParent { get; init; } = DefaultCgroupParent;

    /// <summary>Whether containers that do not choose get an init (dockerd's <c>--init</c>).</summary>
    public bool Init { get; init; }

    /// <summary>The init binary for <c>--init</c>; null: looked up (see <c>RuntimeTools.InitPath</c>).</summary>
    public string? InitPath { get; init; }

    /// <summary>The default bridge's name (dockerd's <c>--bridge</c>; Berth's default is berth0, clear of a docker0 beside it).</summary>
    public string Bridge { get; init; } = "berth0";

    /// <summary>The default bridge's address with prefix length (<c>--bip</c>); empty: 172.17.0.1/16.</summary>
    public string BridgeIp { get; init; } = "";

    /// <summary>The part of the default bridge's subnet containers get addresses from (<c>--fixed-cidr</c>).</summary>
    public string FixedCidr { get; init; } = "";

    public int Mtu { get; init; } = 1500;

    /// <summary>insecure-registries, registry-mirrors, download limits and the certs.d directory.</summary>
    public Berth.Images.Registry.RegistrySettings Registry { get; init; } = new();

    public string EffectivePidFile => PidFile ?? Path.Combine(ExecRoot, "berthd.pid");
}
