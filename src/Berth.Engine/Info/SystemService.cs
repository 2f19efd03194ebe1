using Berth.Api;
using Berth.Api.Wire.Daemon;
using Berth.Engine.Host;
using Berth.Images.Store;

namespace Berth.Engine.Info;

/// <summary><c>GET /info</c> and <c>GET /version</c>, from the host's real state.</summary>
public sealed class SystemService
{
    private readonly SystemSettings _settings;
    private readonly EngineIdentity _identity;
    private readonly ImageStore _images;
    private readonly Func<ContainerCounts> _containers;
    private readonly Task<ToolVersion> _runc;
    private readonly Task<ToolVersion> _conmon;
    private readonly CgroupFeatures _cgroups = CgroupFeatures.Detect();
    private readonly (string PrettyName, string VersionId) _os = HostFacts.OperatingSystem();

    public SystemService(SystemSettings settings, EngineIdentity identity, ImageStore images, Func<ContainerCounts> containers)
    {
        _settings = settings;
        _identity = identity;
        _images = images;
        _containers = containers;
        _runc = ToolVersion.QueryAsync(settings.RuntimePath, CancellationToken.None);
        _conmon = ToolVersion.QueryAsync("conmon", CancellationToken.None);
    }

    public async Task<SystemInfo> InfoAsync()
    {
        var containers = _containers();
        var runc = await _runc.ConfigureAwait(false);
        var cgroupVersion = HostFacts.CgroupVersion;
        var security = new List<string>();
        if (HostFacts.SeccompSupported) security.Add("name=seccomp,profile=builtin");
        if (cgroupVersion == "2") security.Add("name=cgroupns");
        var warnings = new List<string>(_settings.Warnings);
        if (!_cgroups.Swap) warnings.Add("WARNING: No swap limit support");
        if (!HostFacts.BridgeNfCall("iptables") && File.Exists("/proc/sys/net/bridge/bridge-nf-call-iptables"))
            warnings.Add("WARNING: bridge-nf-call-iptables is disabled");
        return new SystemInfo
        {
            ID = _identity.Id,
            Containers = containers.Total,
            ContainersRunning = containers.Running,
            ContainersPaused = containers.Paused,
            ContainersStopped = containers.Stopped,
            Images = _images.All.Count,
            Driver = _images.Snapshots.Name,
            DriverStatus = [.. _images.Snapshots.Status],
            Plugins = new PluginsInfo
            {
                Volume = [.. _settings.VolumeDrivers],
                Network = [.. _settings.NetworkDrivers],
                Log = [.. _settings.LogDrivers],
            },
            MemoryLimit = _cgroups.Memory,
            SwapLimit = _cgroups.Swap,
            KernelMemoryTCP = cgroupVersion == "1" ? _cgroups.KernelMemoryTcp : null,
            CpuCfsPeriod = _cgroups.CpuCfs,
            CpuCfsQuota = _cgroups.CpuCfs,
            CPUShares = _cgroups.CpuShares,
            CPUSet = _cgroups.CpuSet,
            PidsLimit = _cgroups.Pids,
            OomKillDisable = _cgroups.OomKillDisable,
            IPv4Forwarding = HostFacts.IPv4Forwarding,
            BridgeNfIptables = HostFacts.BridgeNfCall("iptables"),
            BridgeNfIp6tables = HostFacts.BridgeNfCall("ip6tables"),
            Debug = _settings.Debug,
            NFd = HostFacts.OpenFileDescriptors,
            NGoroutines = HostFacts.Threads,
            SystemTime = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture),
            CgroupDriver = "cgroupfs",
            CgroupVersion = cgroupVersion,
            KernelVersion = HostFacts.KernelVersion,
            OperatingSystem = _os.PrettyName,
            OSVersion = _os.VersionId,
            Architecture = HostPlatform.MachineName,
            RegistryConfig = _settings.Registry ?? new RegistryServiceConfig
            {
                InsecureRegistryCIDRs = ["127.0.0.0/8"],
                IndexConfigs = new() { ["docker.io"] = new IndexInfo { Name = "docker.io", Secure = true, Official = true } },
            },
            NCPU = Environment.ProcessorCount,
            MemTotal = HostFacts.MemoryTotal(),
            DockerRootDir = _settings.DataRoot,
            Name = HostFacts.HostName,
            Labels = [.. _settings.Labels],
            ServerVersion = _identity.Version,
            Runtimes = new() { ["runc"] = new RuntimeInfo { Path = _settings.RuntimePath } },
            Swarm = new SwarmInfo(),
            ContainerdCommit = new CommitInfo(),
            RuncCommit = new CommitInfo { ID = runc.Commit, Expected = runc.Commit },
            InitCommit = new CommitInfo(),
            SecurityOptions = security,
            Warnings = warnings.Count > 0 ? warnings : null,
        };
    }

    public async Task<SystemVersion> VersionAsync()
    {
        var runc = await _runc.ConfigureAwait(false);
        var conmon = await _conmon.ConfigureAwait(false);
        var runtime = $".NET {Environment.Version}";
        var components = new List<ComponentVersion>
        {
            new()
            {
                Name = "Engine",
                Version = _identity.Version,
                Details = new()
                {
                    ["ApiVersion"] = ApiVersion.Current.ToString(),
                    ["Arch"] = HostPlatform.Architecture,
                    ["BuildTime"] = _identity.BuildTime,
                    ["Experimental"] = "false",
                    ["GitCommit"] = _identity.GitCommit,
                    ["GoVersion"] = runtime,
                    ["KernelVersion"] = HostFacts.KernelVersion,
                    ["MinAPIVersion"] = ApiVersion.Minimum.ToString(),
                    ["Os"] = HostPlatform.Os,
                },
            },
        };
        if (runc != ToolVersion.Unknown)
            components.Add(new() { Name = "runc", Version = runc.Version, Details = new() { ["GitCommit"] = runc.Commit } });
        if (conmon != ToolVersion.Unknown)
            components.Add(new() { Name = "conmon", Version = conmon.Version, Details = new() { ["GitCommit"] = conmon.Commit } });
        return new SystemVersion
        {
            Platform = new PlatformName { Name = "Berth" },
            Components = components,
            Version = _identity.Version,
            ApiVersion = ApiVersion.Current.ToString(),
            MinAPIVersion = ApiVersion.Minimum.ToString(),
            GitCommit = _identity.GitCommit,
            GoVersion = runtime,
            Os = HostPlatform.Os,
            Arch = HostPlatform.Architecture,
            KernelVersion = HostFacts.KernelVersion,
            BuildTime = _identity.BuildTime,
        };
    }
}
