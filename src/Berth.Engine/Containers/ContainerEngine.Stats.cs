using System.Runtime.CompilerServices;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>docker stats</c> for one container, as dockerd sends it: with <paramref name="stream"/>,
    /// one object a second until the client goes, each carrying the one before as
    /// <c>preread</c>/<c>precpu_stats</c> (a container that is not running gives empty objects
    /// meanwhile); without it, one object read a second after a first reading, or at once with
    /// <paramref name="oneShot"/>, or at once and empty when the container is not running.
    /// </summary>
    public IAsyncEnumerable<ContainerStats> StatsAsync(string reference, bool stream, bool oneShot, CancellationToken ct) =>
        ReadStatsAsync(Get(reference), stream, oneShot, ct);

    private async IAsyncEnumerable<ContainerStats> ReadStatsAsync(Container container, bool stream, bool oneShot, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!stream && (oneShot || !IsRunningForStats(container)))
        {
            yield return Reading(container);
            yield break;
        }
        ContainerStats? previous = null;
        while (true)
        {
            var current = StatsBuilder.After(Reading(container), previous);
            // Without a stream the first reading only primes the CPU counters.
            if (stream || previous is not null) yield return current;
            if (!stream && previous is not null) yield break;
            previous = current;
            await Task.Delay(StatsInterval, ct).ConfigureAwait(false);
        }
    }

    private ContainerStats Reading(Container container) =>
        IsRunningForStats(container) ? StatsBuilder.Build(container.Record, Sample(container)) : StatsBuilder.NotRunning(container.Record);

    private static bool IsRunningForStats(Container container) => container.IsRunning && container.Record.Pid > 0;

    private StatsSample Sample(Container container)
    {
        var record = container.Record;
        var cgroup = CgroupOf(record).ReadStats();
        var (systemUsage, onlineCpus) = Runtime.Cgroups.HostCpu.Read();
        // Only a container with a network namespace of its own has interfaces to count.
        var interfaces = record.HostConfig.NetworkMode == "host" ? [] : Runtime.Cgroups.NetworkCounters.Read(record.Pid);
        return new StatsSample(DateTimeOffset.UtcNow, cgroup, systemUsage, onlineCpus, interfaces, HostMemory.Value);
    }

    private static readonly Lazy<ulong> HostMemory = new(() => (ulong)Host.HostFacts.MemoryTotal());
}
