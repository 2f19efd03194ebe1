namespace Berth.Engine.Host;

/// <summary>Which resource controls the host's cgroups offer, on v1 (and hybrid) or v2 layouts.</summary>
public sealed record CgroupFeatures(bool Memory, bool Swap, bool CpuCfs, bool CpuShares, bool CpuSet, bool Pids, bool OomKillDisable, bool KernelMemoryTcp)
{
    private const string Root = "/sys/fs/cgroup";

    public static CgroupFeatures Detect()
    {
        if (HostFacts.CgroupVersion == "2")
        {
            var controllers = File.Exists($"{Root}/cgroup.controllers")
                ? File.ReadAllText($"{Root}/cgroup.controllers").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [];
            var memory = controllers.Contains("memory");
            var cpu = controllers.Contains("cpu");
            return new CgroupFeatures(memory, memory && File.Exists("/proc/swaps"), cpu, cpu, controllers.Contains("cpuset"),
                controllers.Contains("pids"), false, false);
        }
        return new CgroupFeatures(
            Memory: Directory.Exists($"{Root}/memory"),
            Swap: File.Exists($"{Root}/memory/memory.memsw.limit_in_bytes"),
            CpuCfs: File.Exists($"{Root}/cpu/cpu.cfs_period_us"),
            CpuShares: File.Exists($"{Root}/cpu/cpu.shares"),
            CpuSet: Directory.Exists($"{Root}/cpuset"),
            Pids: Directory.Exists($"{Root}/pids"),
            OomKillDisable: File.Exists($"{Root}/memory/memory.oom_control"),
            KernelMemoryTcp: File.Exists($"{Root}/memory/memory.kmem.tcp.limit_in_bytes"));
    }
}
