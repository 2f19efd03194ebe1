using System.Runtime.CompilerServices;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    private static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>docker stats</c> for one container, as dockerd sends it: with <paramref name="stream"/>,
    /// one object a second (each with the previous reading as <c>precpu_stats</c>) until the
    /// container stops or the client goes; without it, one object read a second after a first
    /// reading, or at once with <paramref name="oneShot"/>. A container that is not running gives
    /// one empty object, or in a stream nothing until it runs.
    /// </summary>
    public IAsyncEnumerable<ContainerStats> StatsAsync(string reference, bool stream, bool oneShot, CancellationToken ct) =>
        ReadStatsAsync(Get(reference), stream, oneShot, ct);

    private async IAsyncEnumerable<ContainerStats> ReadStatsAsync(Container container, bool stream, bool oneShot, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!stream)
        {
            if (!IsRunningForStats(container))
            {
                yield return StatsBuilder.NotRunning(container.Record);
                yield break;
            }
            var first = Sample(container);
            if (oneShot)
            {
                yield return StatsBuilder.Build(container.Record, first, null);
                yield break;
            }
            await Task.Delay(StatsInterval, ct).ConfigureAwait(false);
            yield return IsRunningForStats(container) ? StatsBuilder.Build(container.Record, Sample(container), first) : StatsBuilder.NotRunning(container.Record);
            yield break;
        }

        StatsSample? previous = null;
        while (!ct.IsCancellationRequested)
        {
            if (IsRunningForStats(container))
            {
                var sample = Sample(container);
                yield return StatsBuilder.Build(container.Record, sample, previous);
                previous = sample;
            }
            else if (previous is not null) yield break;
            await Task.Delay(StatsInterval, ct).ConfigureAwait(false);
        }
    }

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
