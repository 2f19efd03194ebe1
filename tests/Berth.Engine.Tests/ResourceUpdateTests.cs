using Berth.Api.Wire.Containers;
using Berth.Engine.Containers;

namespace Berth.Engine.Tests;

/// <summary>dockerd's rules for merging <c>docker update</c> into a container's host configuration.</summary>
public sealed class ResourceUpdateTests
{
    [Fact]
    public void Zero_keeps_a_value_and_anything_else_replaces_it()
    {
        var host = new HostConfig { Memory = 20 << 20, MemorySwap = 40 << 20, CpuShares = 512, CpusetCpus = "0" };
        ResourceUpdate.Apply(host, new ContainerUpdateRequest { Memory = 30 << 20, NanoCpus = 500_000_000, PidsLimit = 50 });
        Assert.Equal((30L << 20, 40L << 20, 512L, "0", 500_000_000L, 50L), (host.Memory, host.MemorySwap, host.CpuShares, host.CpusetCpus, host.NanoCpus, host.PidsLimit));
        ResourceUpdate.Apply(host, new ContainerUpdateRequest { PidsLimit = -1 });
        Assert.Equal(0, host.PidsLimit);
    }

    [Fact]
    public void Memory_above_the_swap_limit_needs_a_new_swap_limit()
    {
        var unlimited = new HostConfig();
        var e = Assert.Throws<ArgumentException>(() => ResourceUpdate.Apply(unlimited, new ContainerUpdateRequest { Memory = 20 << 20 }));
        Assert.Equal("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time", e.Message);
        ResourceUpdate.Apply(unlimited, new ContainerUpdateRequest { Memory = 20 << 20, MemorySwap = -1 });
        Assert.Equal((20L << 20, -1L), (unlimited.Memory, unlimited.MemorySwap));
        // Even unlimited swap (-1) is "already set" and below any memory limit.
        Assert.Throws<ArgumentException>(() => ResourceUpdate.Apply(unlimited, new ContainerUpdateRequest { Memory = 30 << 20 }));
    }

    [Fact]
    public void Nano_cpus_and_cfs_settings_exclude_each_other()
    {
        Assert.Equal("Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set",
            Assert.Throws<ArgumentException>(() => ResourceUpdate.Apply(new HostConfig { NanoCpus = 1 }, new ContainerUpdateRequest { CpuQuota = 1000 })).Message);
        Assert.Equal("Conflicting options: Nano CPUs cannot be updated as CPU Period has already been set",
            Assert.Throws<ArgumentException>(() => ResourceUpdate.Apply(new HostConfig { CpuPeriod = 100000 }, new ContainerUpdateRequest { NanoCpus = 1 })).Message);
    }

    [Fact]
    public void Auto_remove_containers_keep_their_restart_policy()
    {
        var host = new HostConfig { AutoRemove = true };
        Assert.Equal("Restart policy cannot be updated because AutoRemove is enabled for the container",
            Assert.Throws<ArgumentException>(() => ResourceUpdate.Apply(host, new ContainerUpdateRequest { RestartPolicy = new RestartPolicy { Name = "always" } })).Message);
        ResourceUpdate.Apply(host, new ContainerUpdateRequest { RestartPolicy = new RestartPolicy { Name = "no" } });
        var normal = new HostConfig();
        ResourceUpdate.Apply(normal, new ContainerUpdateRequest { RestartPolicy = new RestartPolicy { Name = "on-failure", MaximumRetryCount = 2 } });
        Assert.Equal(("on-failure", 2), (normal.RestartPolicy.Name, normal.RestartPolicy.MaximumRetryCount));
        ResourceUpdate.Apply(normal, new ContainerUpdateRequest { RestartPolicy = new RestartPolicy() });
        Assert.Equal("on-failure", normal.RestartPolicy.Name);
    }

    [Fact]
    public void Kernel_memory_gets_dockerds_deprecation_warning()
    {
        Assert.Equal(["Specifying a kernel memory limit is deprecated and will be removed in a future release."], ResourceUpdate.Warnings(new ContainerUpdateRequest { KernelMemory = 10 << 20 }));
        Assert.Empty(ResourceUpdate.Warnings(new ContainerUpdateRequest()));
    }
}
