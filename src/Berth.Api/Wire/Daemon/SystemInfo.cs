using System.Text.Json.Serialization;

namespace Berth.Api.Wire.Daemon;

/// <summary>The body of <c>GET /info</c>, with the fields the docker CLI prints.</summary>
public sealed class SystemInfo
{
    public required string ID { get; init; }
    public int Containers { get; init; }
    public int ContainersRunning { get; init; }
    public int ContainersPaused { get; init; }
    public int ContainersStopped { get; init; }
    public int Images { get; init; }
    public required string Driver { get; init; }
    public required List<string[]> DriverStatus { get; init; }
    public required PluginsInfo Plugins { get; init; }
    public bool MemoryLimit { get; init; }
    public bool SwapLimit { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? KernelMemoryTCP { get; init; }
    public bool CpuCfsPeriod { get; init; }
    public bool CpuCfsQuota { get; init; }
    public bool CPUShares { get; init; }
    public bool CPUSet { get; init; }
    public bool PidsLimit { get; init; }
    public bool IPv4Forwarding { get; init; }
    public bool BridgeNfIptables { get; init; }
    public bool BridgeNfIp6tables { get; init; }
    public bool Debug { get; init; }
    public int NFd { get; init; }
    public bool OomKillDisable { get; init; }
    public int NGoroutines { get; init; }
    public required string SystemTime { get; init; }
    public string LoggingDriver { get; init; } = "json-file";
    public required string CgroupDriver { get; init; }
    public required string CgroupVersion { get; init; }
    public int NEventsListener { get; init; }
    public required string KernelVersion { get; init; }
    public required string OperatingSystem { get; init; }
    public required string OSVersion { get; init; }
    public string OSType { get; init; } = "linux";
    public required string Architecture { get; init; }
    public string IndexServerAddress { get; init; } = "https://index.docker.io/v1/";
    public required RegistryServiceConfig RegistryConfig { get; init; }
    public int NCPU { get; init; }
    public long MemTotal { get; init; }
    public object[]? GenericResources { get; init; }
    public required string DockerRootDir { get; init; }
    public string HttpProxy { get; init; } = "";
    public string HttpsProxy { get; init; } = "";
    public string NoProxy { get; init; } = "";
    public required string Name { get; init; }
    public List<string> Labels { get; init; } = [];
    public bool ExperimentalBuild { get; init; }
    public required string ServerVersion { get; init; }
    public required Dictionary<string, RuntimeInfo> Runtimes { get; init; }
    public string DefaultRuntime { get; init; } = "runc";
    public required SwarmInfo Swarm { get; init; }
    public bool LiveRestoreEnabled { get; init; }
    public string Isolation { get; init; } = "";
    public string InitBinary { get; init; } = "";
    public required CommitInfo ContainerdCommit { get; init; }
    public required CommitInfo RuncCommit { get; init; }
    public required CommitInfo InitCommit { get; init; }
    public required List<string> SecurityOptions { get; init; }
    public List<string>? Warnings { get; init; }
}

public sealed class PluginsInfo
{
    public required List<string> Volume { get; init; }
    public required List<string> Network { get; init; }
    public List<string>? Authorization { get; init; }
    public required List<string> Log { get; init; }
}

public sealed class RegistryServiceConfig
{
    public List<string> AllowNondistributableArtifactsCIDRs { get; init; } = [];
    public List<string> AllowNondistributableArtifactsHostnames { get; init; } = [];
    public List<string> InsecureRegistryCIDRs { get; init; } = [];
    public Dictionary<string, IndexInfo> IndexConfigs { get; init; } = [];
    public List<string> Mirrors { get; init; } = [];
}

public sealed class IndexInfo
{
    public required string Name { get; init; }
    public List<string> Mirrors { get; init; } = [];
    public bool Secure { get; init; }
    public bool Official { get; init; }
}

public sealed class RuntimeInfo
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("runtimeArgs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<string>? RuntimeArgs { get; init; }
}

public sealed class SwarmInfo
{
    public string NodeID { get; init; } = "";
    public string NodeAddr { get; init; } = "";
    public string LocalNodeState { get; init; } = "inactive";
    public bool ControlAvailable { get; init; }
    public string Error { get; init; } = "";
    public object[]? RemoteManagers { get; init; }
}

public sealed class CommitInfo
{
    public string ID { get; init; } = "";
    public string Expected { get; init; } = "";
}
