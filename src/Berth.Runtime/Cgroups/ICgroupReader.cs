namespace Berth.Runtime.Cgroups;

/// <summary>Reads one container's cgroup: its counters, its processes, and whether it is frozen.</summary>
public interface ICgroupReader
{
    CgroupStats ReadStats();

    /// <summary>The PIDs in the container's cgroup (cgroup.procs).</summary>
    IReadOnlyList<int> Processes();

    /// <summary>Whether the freezer holds the cgroup (v1 freezer.state FROZEN, v2 cgroup.freeze 1).</summary>
    bool IsFrozen();

    /// <summary>Whether the kernel's OOM killer struck in the cgroup (the oom_kill count of v1 memory.oom_control, v2 memory.events).</summary>
    bool WasOomKilled();
}

public static class CgroupReader
{
    public const string DefaultRoot = "/sys/fs/cgroup";

    /// <summary>
    /// The reader for a cgroup path such as <c>/berth/ID</c>. On a unified (v2) host the path is
    /// under the root itself; on v1 and hybrid hosts the v1 controllers hold the limits and
    /// counters (the unified hierarchy beside them has no controllers), so those are read.
    /// </summary>
    public static ICgroupReader For(string cgroupPath, bool unified, string root = DefaultRoot) =>
        unified ? new CgroupV2Reader(root, cgroupPath) : new CgroupV1Reader(root, cgroupPath);

}
