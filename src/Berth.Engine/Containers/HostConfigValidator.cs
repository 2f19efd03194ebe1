using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Runtime.Oci;

namespace Berth.Engine.Containers;

/// <summary>Checks and completes a container's host configuration as dockerd does at create, with its messages.</summary>
public static class HostConfigValidator
{
    private const long MinimumMemory = 6 * 1024 * 1024;

    /// <summary>The highest CPU number a cpuset may name (Linux's usual maximum, as dockerd allows).</summary>
    private const int MaximumCpu = 8192;

    /// <param name="memoryNodes">The memory nodes containers may use (the root cpuset's <c>cpuset.mems</c>); null skips that check.</param>
    /// <param name="update">The limits of <c>docker update</c>: memory swap may then be given alone, and nothing is filled in.</param>
    /// <param name="blkioWeight">Whether the kernel can weigh block I/O (BFQ's or CFQ's weight files); dockerd discards the weight with a warning when not.</param>
    public static List<string> Validate(HostConfig host, int cpuCount, string? memoryNodes = null, bool update = false, bool blkioWeight = true)
    {
        var warnings = new List<string>();
        host.RestartPolicy ??= new RestartPolicy();
        var policy = host.RestartPolicy;
        switch (policy.Name)
        {
            case "no" or "always" or "unless-stopped":
                if (policy.MaximumRetryCount != 0)
                    throw BerthException.InvalidParameter($"maximum retry count cannot be used with restart policy '{policy.Name}'");
                break;
            case "on-failure":
                if (policy.MaximumRetryCount < 0) throw BerthException.InvalidParameter("maximum retry count cannot be negative");
                break;
            case "":
                break;
            default:
                throw BerthException.InvalidParameter($"invalid restart policy '{policy.Name}'");
        }
        if (host.AutoRemove && policy.Name is not ("" or "no"))
            throw BerthException.InvalidParameter("can't create 'AutoRemove' container with restart policy");

        if (host.Memory > 0 && host.Memory < MinimumMemory)
            throw BerthException.InvalidParameter("Minimum memory limit allowed is 6MB");
        if (host.Memory > 0 && host.MemorySwap > 0 && host.MemorySwap < host.Memory)
            throw BerthException.InvalidParameter("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (host.Memory == 0 && host.MemorySwap > 0 && !update)
            throw BerthException.InvalidParameter("You should always set the Memory limit when using Memoryswap limit, see usage");
        if (host.MemoryReservation > 0 && host.MemoryReservation < MinimumMemory)
            throw BerthException.InvalidParameter("Minimum memory reservation allowed is 6MB");
        if (host.Memory > 0 && host.MemoryReservation > 0 && host.Memory < host.MemoryReservation)
            throw BerthException.InvalidParameter("Minimum memory limit can not be less than memory reservation limit, see usage");
        if (host.MemorySwappiness is { } swappiness && swappiness != -1 && swappiness is < 0 or > 100)
            throw BerthException.InvalidParameter($"Invalid value: {swappiness}, valid memory swappiness range is 0-100");
        if (host.NanoCpus > 0 && (host.CpuPeriod > 0 || host.CpuQuota > 0))
            throw BerthException.InvalidParameter("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        if (host.NanoCpus < 0 || host.NanoCpus > (long)cpuCount * 1_000_000_000)
            throw BerthException.InvalidParameter($"Range of CPUs is from 0.01 to {cpuCount}.00, as there are only {cpuCount} CPUs available");
        if (host.CpuShares is < 0) throw BerthException.InvalidParameter("invalid CPU shares: the value cannot be negative");
        if (host.BlkioWeight > 0 && host.BlkioWeight is < 10 or > 1000)
            throw BerthException.InvalidParameter("Range of blkio weight is from 10 to 1000");
        if (host.BlkioWeight > 0 && !blkioWeight)
        {
            warnings.Add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            host.BlkioWeight = 0;
        }
        if (!string.IsNullOrEmpty(host.CpusetCpus)) CheckCpuset(host.CpusetCpus, cpuCount);
        if (!string.IsNullOrEmpty(host.CpusetMems) && memoryNodes is not null) CheckMemoryNodes(host.CpusetMems, memoryNodes);
        if (host.OomScoreAdj is < -1000 or > 1000)
            throw BerthException.InvalidParameter($"Invalid value {host.OomScoreAdj}, range for oom score adj is [-1000, 1000]");
        if (host.ShmSize < 0) throw BerthException.InvalidParameter("SHM size can not be less than 0");
        if (host.KernelMemory > 0) warnings.Add("Specifying a kernel memory limit is deprecated and will be removed in a future release.");

        // dockerd's defaults, stored in the container's configuration at create: swap up to the memory limit again, and no pids limit for 0 or -1.
        if (!update)
        {
            if (host.Memory > 0 && host.MemorySwap == 0) host.MemorySwap = host.Memory * 2;
            if (host.PidsLimit is <= 0) host.PidsLimit = null;
            if (host.MemorySwappiness == -1) host.MemorySwappiness = null;
        }

        try
        {
            Capabilities.Resolve(host.CapAdd, host.CapDrop, host.Privileged);
            SecurityOptions.Parse(host.SecurityOpt);
        }
        catch (ArgumentException e)
        {
            throw BerthException.InvalidParameter(e.Message);
        }
        return warnings;
    }

    /// <summary>dockerd's cpuset check: a list of numbers and ranges (its parse error names the whole value), every CPU online.</summary>
    private static void CheckCpuset(string cpuset, int cpuCount)
    {
        var cpus = ParseUintList(cpuset, out var error) ?? throw BerthException.InvalidParameter($"Invalid value {cpuset} for cpuset cpus: {error}");
        if (cpus.Any(v => v >= cpuCount))
            throw BerthException.InvalidParameter($"Requested CPUs are not available - requested {cpuset}, available: {(cpuCount == 1 ? "0" : $"0-{cpuCount - 1}")}");
    }

    private static void CheckMemoryNodes(string mems, string available)
    {
        var requested = ParseUintList(mems, out var error) ?? throw BerthException.InvalidParameter($"Invalid value {mems} for cpuset mems: {error}");
        var online = ParseUintList(available, out _) ?? [];
        if (requested.Any(n => !online.Contains(n)))
            throw BerthException.InvalidParameter($"Requested memory nodes are not available - requested {mems}, available: {available}");
    }

    /// <summary>Go's <c>parsers.ParseUintListMaximum</c>: "0-2,5"; null with Go's message when malformed or beyond the maximum.</summary>
    internal static List<int>? ParseUintList(string value, out string? error)
    {
        const System.Globalization.NumberStyles digits = System.Globalization.NumberStyles.None;
        var result = new List<int>();
        error = $"invalid format: {value}";
        foreach (var part in value.Split(','))
        {
            var dash = part.IndexOf('-');
            int low, high;
            if (dash < 0)
            {
                if (!int.TryParse(part, digits, null, out low)) return null;
                high = low;
            }
            else if (!int.TryParse(part[..dash], digits, null, out low) || !int.TryParse(part[(dash + 1)..], digits, null, out high) || high < low)
            {
                return null;
            }
            if (high > MaximumCpu)
            {
                error = $"value of out range, maximum is {MaximumCpu}";
                return null;
            }
            for (var v = low; v <= high; v++) result.Add(v);
        }
        error = null;
        return result;
    }
}
