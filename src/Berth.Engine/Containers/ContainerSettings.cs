namespace Berth.Engine.Containers;

/// <summary>Daemon-wide settings of the container engine.</summary>
public sealed record ContainerSettings
{
    /// <summary>Where container records and logs live (DATA-ROOT/containers).</summary>
    public required string Root { get; init; }

    /// <summary>Where bundles and monitor files live while containers run (EXEC-ROOT/containers).</summary>
    public required string RunRoot { get; init; }

    /// <summary>Where exec sessions keep their monitor files (EXEC-ROOT/exec), beside <see cref="RunRoot"/>.</summary>
    public string ExecRoot => Path.Combine(Path.GetDirectoryName(RunRoot.TrimEnd('/')) ?? "/", "exec");

    /// <summary>The cgroup under which each container gets its own, as <c>--cgroup-parent</c>.</summary>
    public string CgroupParent { get; init; } = "/berth";

    /// <summary>A static init for <c>--init</c> (tini); null when none is installed.</summary>
    public string? InitPath { get; init; }

    /// <summary>Whether containers that do not choose get the init (dockerd's <c>--init</c> daemon option).</summary>
    public bool InitByDefault { get; init; }

    /// <summary>The storage driver's name, shown as inspect's <c>Driver</c>.</summary>
    public required string StorageDriver { get; init; }

    /// <summary>Online CPUs, for validating <c>--cpus</c> and <c>--cpuset-cpus</c>.</summary>
    public int CpuCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Memory nodes, for validating <c>--cpuset-mems</c>: the root cpuset's, as dockerd reads them; null when unknown.</summary>
    public string? MemoryNodes { get; init; } = RootCpusetMems();

    /// <summary>Whether the kernel weighs block I/O: BFQ's or CFQ's weight files in the v1 blkio hierarchy, or the v2 io controller.</summary>
    public bool BlkioWeight { get; init; } = KernelWeighsBlockIo();

    private static bool KernelWeighsBlockIo() =>
        File.Exists("/sys/fs/cgroup/blkio/blkio.weight") || File.Exists("/sys/fs/cgroup/blkio/blkio.bfq.weight")
        || (!Directory.Exists("/sys/fs/cgroup/blkio") && File.Exists("/sys/fs/cgroup/cgroup.controllers")
            && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("io"));

    private static string? RootCpusetMems()
    {
        foreach (var file in new[] { "/sys/fs/cgroup/cpuset/cpuset.mems", "/sys/fs/cgroup/cpuset.mems.effective" })
            if (File.Exists(file)) return File.ReadAllText(file).Trim();
        return null;
    }
}
