namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>The container's cgroup, read with the reader for the host's cgroup version.</summary>
    private Runtime.Cgroups.ICgroupReader CgroupOf(ContainerRecord record) =>
        Runtime.Cgroups.CgroupReader.For(CgroupPath(record), Host.HostFacts.CgroupVersion == "2");
}
