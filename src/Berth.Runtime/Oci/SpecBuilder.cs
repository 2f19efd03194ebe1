using System.Runtime.InteropServices;
using Berth.Api.Wire.Containers;
using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Oci;

/// <summary>
/// Writes a container's OCI runtime spec as dockerd would: its default mounts, namespaces,
/// capabilities, seccomp filter, masked and read-only paths and device rules, changed by the
/// create options (privileged, cap-add/drop, security-opt, read-only, ulimits, shm size,
/// devices, sysctls and resource limits).
/// </summary>
public static class SpecBuilder
{
    public const string InitDestination = "/sbin/docker-init";
    private const long DefaultShmSize = 64 * 1024 * 1024;

    private static readonly string[] MaskedPaths =
    [
        "/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap",
    ];

    private static readonly string[] ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static RuntimeSpec Build(SpecInput input)
    {
        var host = input.HostConfig;
        var security = SecurityOptions.Parse(host.SecurityOpt);
        var capabilities = Capabilities.Resolve(host.CapAdd, host.CapDrop, host.Privileged);
        var args = input.InitPath is not null ? [InitDestination, "--", .. input.Args] : input.Args.ToList();

        var spec = new RuntimeSpec
        {
            Process = new SpecProcess
            {
                Terminal = input.Tty,
                ConsoleSize = input.Tty && input.ConsoleSize is [var h, var w] && h > 0 && w > 0 ? new SpecConsoleSize { Height = h, Width = w } : null,
                User = new SpecUser
                {
                    Uid = input.User.Uid,
                    Gid = input.User.Gid,
                    AdditionalGids = input.User.AdditionalGids.Count > 0 ? [.. input.User.AdditionalGids] : null,
                },
                Args = args,
                Env = [.. input.Env],
                Cwd = string.IsNullOrEmpty(input.WorkingDir) ? "/" : input.WorkingDir,
                Capabilities = new SpecCapabilities { Bounding = [.. capabilities], Effective = [.. capabilities], Permitted = [.. capabilities] },
                Rlimits = host.Ulimits is { Count: > 0 } ? host.Ulimits.Select(ToRlimit).ToList() : null,
                NoNewPrivileges = security.NoNewPrivileges,
                OomScoreAdj = host.OomScoreAdj != 0 ? host.OomScoreAdj : null,
            },
            Root = new SpecRoot { Path = input.RootfsPath, Readonly = host.ReadonlyRootfs },
            Hostname = input.NetworkNamespace == "host" && string.IsNullOrEmpty(input.Hostname) ? null : input.Hostname,
            Domainname = string.IsNullOrEmpty(input.Domainname) ? null : input.Domainname,
            Mounts = Mounts(input, host),
            Linux = new SpecLinux
            {
                Sysctl = host.Sysctls is { Count: > 0 } ? new Dictionary<string, string>(host.Sysctls) : null,
                Resources = Resources(host),
                CgroupsPath = input.CgroupsPath,
                Namespaces = Namespaces(input),
                Devices = host.Privileged ? HostDevices.All() : HostDevices.Resolve(host.Devices),
                Seccomp = host.Privileged || security.SeccompUnconfined
                    ? null
                    : SeccompResolver.Resolve(security.SeccompProfile ?? SeccompProfile.Default, capabilities, input.Kernel, RuntimeInformation.OSArchitecture),
                MaskedPaths = host.Privileged ? null : host.MaskedPaths ?? [.. MaskedPaths],
                ReadonlyPaths = host.Privileged ? null : host.ReadonlyPaths ?? [.. ReadonlyPaths],
                RootfsPropagation = "rprivate",
            },
        };
        if (spec.Linux.Seccomp is { } seccomp && seccomp.DefaultAction.Length == 0) spec.Linux.Seccomp = null;
        return spec;
    }

    private static SpecRlimit ToRlimit(Ulimit u) => new()
    {
        Type = "RLIMIT_" + u.Name.ToUpperInvariant(),
        Hard = (ulong)u.Hard,
        Soft = (ulong)u.Soft,
    };

    private static List<SpecNamespace> Namespaces(SpecInput input)
    {
        var namespaces = new List<SpecNamespace> { new() { Type = "pid" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" } };
        if (input.NetworkNamespace is null) namespaces.Add(new SpecNamespace { Type = "network" });
        else if (input.NetworkNamespace != "host") namespaces.Add(new SpecNamespace { Type = "network", Path = input.NetworkNamespace });
        if (input.HostConfig.CgroupnsMode == "private") namespaces.Add(new SpecNamespace { Type = "cgroup" });
        if (input.NetworkNamespace == "host" && string.IsNullOrEmpty(input.Hostname)) namespaces.RemoveAll(n => n.Type == "uts");
        return namespaces;
    }

    private static List<SpecMount> Mounts(SpecInput input, HostConfig host)
    {
        var shmSize = host.ShmSize > 0 ? host.ShmSize : DefaultShmSize;
        var sysOptions = host.Privileged ? new List<string> { "nosuid", "noexec", "nodev" } : ["nosuid", "noexec", "nodev", "ro"];
        var mounts = new List<SpecMount>
        {
            new() { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new() { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            new() { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = sysOptions },
            new() { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = host.Privileged ? ["nosuid", "noexec", "nodev", "relatime"] : ["ro", "nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new() { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", $"size={shmSize}"] },
        };
        // As dockerd: user mounts replace default mounts at the same place, and go parents first.
        mounts.RemoveAll(m => input.UserMounts.Any(u => u.Destination == m.Destination));
        mounts.AddRange(input.UserMounts.OrderBy(m => m.Destination.TrimEnd('/').Count(c => c == '/')).ThenBy(m => m.Destination, StringComparer.Ordinal));
        foreach (var (destination, source) in input.EngineFiles.OrderBy(f => f.Key, StringComparer.Ordinal))
            if (!input.UserMounts.Any(u => u.Destination == destination))
                mounts.Add(new SpecMount { Destination = destination, Type = "bind", Source = source, Options = ["rbind", "rprivate"] });
        if (input.InitPath is not null)
            mounts.Add(new SpecMount { Destination = InitDestination, Type = "bind", Source = input.InitPath, Options = ["bind", "ro"] });
        return mounts;
    }

    /// <summary>The cgroup limits of a host configuration, for the spec and for <c>runc update</c>.</summary>
    public static SpecResources Resources(HostConfig host)
    {
        var resources = new SpecResources
        {
            Devices = host.Privileged ? [new SpecDeviceRule { Allow = true, Access = "rwm" }] : [.. HostDevices.DefaultRules(), .. HostDevices.Rules(host.Devices)],
        };
        if (host.Memory > 0 || host.MemoryReservation > 0 || host.MemorySwap != 0 || host.MemorySwappiness is not null || host.OomKillDisable == true)
        {
            resources.Memory = new SpecMemory
            {
                Limit = host.Memory > 0 ? host.Memory : null,
                Reservation = host.MemoryReservation > 0 ? host.MemoryReservation : null,
                // Docker's default when only --memory is given: swap allowed up to the same amount again.
                Swap = host.MemorySwap != 0 ? host.MemorySwap : host.Memory > 0 ? host.Memory * 2 : null,
                Swappiness = host.MemorySwappiness is >= 0 and var s ? (ulong)s : null,
                DisableOOMKiller = host.OomKillDisable == true ? true : null,
            };
        }
        var cpu = new SpecCpu
        {
            Shares = host.CpuShares > 0 ? (ulong)host.CpuShares : null,
            Cpus = string.IsNullOrEmpty(host.CpusetCpus) ? null : host.CpusetCpus,
            Mems = string.IsNullOrEmpty(host.CpusetMems) ? null : host.CpusetMems,
        };
        if (host.NanoCpus > 0)
        {
            cpu.Period = 100_000;
            cpu.Quota = host.NanoCpus * 100_000 / 1_000_000_000;
        }
        else
        {
            if (host.CpuPeriod > 0) cpu.Period = (ulong)host.CpuPeriod;
            if (host.CpuQuota != 0) cpu.Quota = host.CpuQuota;
        }
        if (cpu.Shares is not null || cpu.Cpus is not null || cpu.Mems is not null || cpu.Period is not null || cpu.Quota is not null)
            resources.Cpu = cpu;
        if (host.PidsLimit is > 0 or -1) resources.Pids = new SpecPids { Limit = host.PidsLimit.Value };
        if (host.BlkioWeight > 0) resources.BlockIO = new SpecBlockIo { Weight = (ushort)host.BlkioWeight };
        return resources;
    }
}
