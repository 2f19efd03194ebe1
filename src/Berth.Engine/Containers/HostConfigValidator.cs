using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Runtime.Oci;

namespace Berth.Engine.Containers;

/// <summary>Checks and completes a container's host configuration as dockerd does at create, with its messages.</summary>
public static class HostConfigValidator
{
    private const long MinimumMemory = 6 * 1024 * 1024;

    /// <param name="update">The limits of <c>docker update</c>: memory swap may then be given alone, and nothing is filled in.</param>
    public static List<string> Validate(HostConfig host, int cpuCount, bool update = false)
    {
        var warnings = new List<string>();
        host.RestartPolicy ??= new RestartPolicy();
        var policy = host.RestartPolicy;
        switch (policy.Name)
        {
            case "" or "no" or "always" or "unless-stopped":
                if (policy.MaximumRetryCount != 0)
                    throw BerthException.InvalidParameter($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
                break;
            case "on-failure":
                if (policy.MaximumRetryCount < 0) throw BerthException.InvalidParameter("invalid restart policy: maximum retry count cannot be negative");
                break;
            default:
                throw BerthException.InvalidParameter($"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
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
        if (!string.IsNullOrEmpty(host.CpusetCpus)) CheckCpuset(host.CpusetCpus, cpuCount);
        if (host.OomScoreAdj is < -1000 or > 1000)
            throw BerthException.InvalidParameter($"Invalid value {host.OomScoreAdj}, range for oom score adj is [-1000, 1000]");
        if (host.ShmSize < 0) throw BerthException.InvalidParameter("SHM size can not be less than 0");
        // As dockerd: swap up to the memory limit again, written into the configuration at create.
        if (!update && host.Memory > 0 && host.MemorySwap == 0) host.MemorySwap = host.Memory * 2;

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

    private static void CheckCpuset(string cpuset, int cpuCount)
    {
        foreach (var part in cpuset.Split(','))
        {
            var range = part.Split('-');
            if (range.Length is < 1 or > 2 || !range.All(r => int.TryParse(r, out var v) && v >= 0))
                throw BerthException.InvalidParameter($"Invalid value {cpuset} for cpuset cpus");
            if (range.Select(int.Parse).Any(v => v >= cpuCount))
                throw BerthException.InvalidParameter($"Requested CPUs are not available - requested {cpuset}, available: 0-{cpuCount - 1}");
        }
    }
}
