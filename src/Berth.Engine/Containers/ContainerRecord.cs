using System.Text.Json.Serialization;
using Berth.Api.Wire;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

/// <summary>The lifecycle states of a container, as dockerd names them.</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Removing,
    Exited,
    Dead,
}

/// <summary>
/// What berthd keeps on disk for one container (<c>containers/ID/config.v2.json</c>): its
/// configuration and its last known state. Written whole and atomically on every change.
/// </summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTime Created { get; set; }
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = [];
    public ContainerConfig Config { get; set; } = new();
    public HostConfig HostConfig { get; set; } = new();
    public string ImageId { get; set; } = "";
    public string Driver { get; set; } = "";
    public string Platform { get; set; } = "linux";

    public ContainerStatus Status { get; set; } = ContainerStatus.Created;
    public int Pid { get; set; }
    public int MonitorPid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public DateTime StartedAt { get; set; }
    public DateTime FinishedAt { get; set; }
    public bool OomKilled { get; set; }

    /// <summary>The health check's state, when the container has one (dockerd's <c>State.Health</c>).</summary>
    public HealthState? Health { get; set; }
    public int RestartCount { get; set; }
    public bool HasBeenStarted { get; set; }
    public bool ManuallyStopped { get; set; }

    /// <summary>Its bind mounts, volumes and tmpfs mounts, in the order they are mounted.</summary>
    public List<MountPointRecord> MountPoints { get; set; } = [];

    /// <summary>The networks it joins, by name, with what it asked for there and, while it runs, what it got (dockerd's <c>NetworkSettings.Networks</c>).</summary>
    public Dictionary<string, EndpointSettings> Networks { get; set; } = [];

    /// <summary>The MAC address asked for on each network (<c>--mac-address</c>), by network name; what the run got is in <see cref="Networks"/>.</summary>
    public Dictionary<string, string> RequestedMacAddresses { get; set; } = [];

    /// <summary>While it runs: the host end of each bridge endpoint's veth pair, by network ID.</summary>
    public Dictionary<string, string> HostInterfaces { get; set; } = [];

    /// <summary>While it runs: its published ports as bound (<c>NetworkSettings.Ports</c>).</summary>
    public Dictionary<string, List<PortBinding>?>? Ports { get; set; }

    /// <summary>Set while the container is half made: a crash before creation finishes leaves this for the next start to clean up.</summary>
    public bool Creating { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = false, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ContainerRecord))]
internal sealed partial class ContainerRecordJson : JsonSerializerContext;
