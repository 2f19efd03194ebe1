using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

/// <summary>How <c>POST /containers/{id}/update</c> changes a stored host configuration: dockerd's <c>UpdateContainer</c> rules.</summary>
public static class ResourceUpdate
{
    private const string KernelMemoryWarning = "Specifying a kernel memory limit is deprecated and will be removed in a future release.";

    /// <summary>The request as a host configuration, for the same checks create makes.</summary>
    public static HostConfig AsHostConfig(ContainerUpdateRequest r) => new()
    {
        CpuShares = r.CpuShares,
        Memory = r.Memory,
        NanoCpus = r.NanoCpus,
        BlkioWeight = r.BlkioWeight,
        CpuPeriod = r.CpuPeriod,
        CpuQuota = r.CpuQuota,
        CpusetCpus = r.CpusetCpus,
        CpusetMems = r.CpusetMems,
        MemoryReservation = r.MemoryReservation,
        MemorySwap = r.MemorySwap,
        KernelMemory = r.KernelMemory,
        PidsLimit = r.PidsLimit,
        RestartPolicy = r.RestartPolicy ?? new RestartPolicy(),
    };

    /// <summary>The warnings an update answers with.</summary>
    public static List<string> Warnings(ContainerUpdateRequest r) => r.KernelMemory > 0 ? [KernelMemoryWarning] : [];

    /// <summary>Changes what the request sets (zero means "keep"); <see cref="ArgumentException"/> carries dockerd's conflict messages.</summary>
    public static void Apply(HostConfig current, ContainerUpdateRequest r)
    {
        // NanoCpus and CpuPeriod/CpuQuota both set the CFS quota; one may not be changed while the other is in force.
        if (r.NanoCpus > 0 && current.CpuPeriod > 0) throw new ArgumentException("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set");
        if (r.NanoCpus > 0 && current.CpuQuota > 0) throw new ArgumentException("Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set");
        if (r.CpuPeriod > 0 && current.NanoCpus > 0) throw new ArgumentException("Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set");
        if (r.CpuQuota > 0 && current.NanoCpus > 0) throw new ArgumentException("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set");

        if (r.BlkioWeight != 0) current.BlkioWeight = r.BlkioWeight;
        if (r.CpuShares != 0) current.CpuShares = r.CpuShares;
        if (r.NanoCpus != 0) current.NanoCpus = r.NanoCpus;
        if (r.CpuPeriod != 0) current.CpuPeriod = r.CpuPeriod;
        if (r.CpuQuota != 0) current.CpuQuota = r.CpuQuota;
        if (r.CpusetCpus.Length > 0) current.CpusetCpus = r.CpusetCpus;
        if (r.CpusetMems.Length > 0) current.CpusetMems = r.CpusetMems;
        if (r.Memory != 0)
        {
            // As dockerd: a memory limit above the swap limit in force needs a new swap limit with it (even when swap is unlimited, -1).
            if (r.Memory > current.MemorySwap && r.MemorySwap == 0)
                throw new ArgumentException("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
            current.Memory = r.Memory;
        }
        if (r.MemorySwap != 0) current.MemorySwap = r.MemorySwap;
        if (r.MemoryReservation != 0) current.MemoryReservation = r.MemoryReservation;
        if (r.KernelMemory != 0) current.KernelMemory = r.KernelMemory;
        // As dockerd: lifting the limit (0 or -1) is stored as 0, where create stores null.
        if (r.PidsLimit is { } pids) current.PidsLimit = pids > 0 ? pids : 0;

        if (r.RestartPolicy is { Name.Length: > 0 } policy)
        {
            if (current.AutoRemove && policy.Name != "no")
                throw new ArgumentException("Restart policy cannot be updated because AutoRemove is enabled for the container");
            current.RestartPolicy = policy;
        }
    }
}
