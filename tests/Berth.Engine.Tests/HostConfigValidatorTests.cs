using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Engine.Containers;

namespace Berth.Engine.Tests;

/// <summary>dockerd's create-time checks and defaults for resources and restart policies.</summary>
public sealed class HostConfigValidatorTests
{
    private static string Fails(HostConfig host, int cpus = 2) =>
        Assert.Throws<BerthException>(() => HostConfigValidator.Validate(host, cpus)).Message;

    [Theory]
    [InlineData("abc", "Invalid value abc for cpuset cpus: invalid format: abc")]
    [InlineData("1-0", "Invalid value 1-0 for cpuset cpus: invalid format: 1-0")]
    [InlineData("0,,1", "Invalid value 0,,1 for cpuset cpus: invalid format: 0,,1")]
    [InlineData("-1", "Invalid value -1 for cpuset cpus: invalid format: -1")]
    [InlineData("99999", "Invalid value 99999 for cpuset cpus: value of out range, maximum is 8192")]
    [InlineData("0-3", "Requested CPUs are not available - requested 0-3, available: 0-1")]
    public void Bad_cpusets_are_refused(string cpuset, string message) =>
        Assert.Equal(message, Fails(new HostConfig { CpusetCpus = cpuset }));

    [Fact]
    public void Memory_nodes_must_be_online()
    {
        Assert.Equal("Requested memory nodes are not available - requested 3, available: 0",
            Assert.Throws<BerthException>(() => HostConfigValidator.Validate(new HostConfig { CpusetMems = "3" }, 2, "0")).Message);
        Assert.Equal("Invalid value x for cpuset mems: invalid format: x",
            Assert.Throws<BerthException>(() => HostConfigValidator.Validate(new HostConfig { CpusetMems = "x" }, 2, "0-1")).Message);
        HostConfigValidator.Validate(new HostConfig { CpusetMems = "1" }, 2, "0-1");
    }

    [Fact]
    public void Good_cpusets_pass() =>
        HostConfigValidator.Validate(new HostConfig { CpusetCpus = "0-1,1" }, 2);

    [Fact]
    public void Memory_alone_gets_twice_its_size_as_swap_and_defaults_are_normalised()
    {
        var host = new HostConfig { Memory = 10 * 1024 * 1024, PidsLimit = 0, MemorySwappiness = -1 };
        HostConfigValidator.Validate(host, 2);
        Assert.Equal(20 * 1024 * 1024, host.MemorySwap);
        Assert.Null(host.PidsLimit);
        Assert.Null(host.MemorySwappiness);

        var unlimited = new HostConfig { Memory = 10 * 1024 * 1024, MemorySwap = -1, PidsLimit = 5 };
        HostConfigValidator.Validate(unlimited, 2);
        Assert.Equal(-1, unlimited.MemorySwap);
        Assert.Equal(5, unlimited.PidsLimit);
    }

    [Theory]
    [InlineData("bogus", 0, "invalid restart policy 'bogus'")]
    [InlineData("always", 3, "maximum retry count cannot be used with restart policy 'always'")]
    [InlineData("no", 1, "maximum retry count cannot be used with restart policy 'no'")]
    [InlineData("on-failure", -1, "maximum retry count cannot be negative")]
    public void Restart_policies_are_checked(string name, int count, string message) =>
        Assert.Equal(message, Fails(new HostConfig { RestartPolicy = new RestartPolicy { Name = name, MaximumRetryCount = count } }));

    [Fact]
    public void Kernel_memory_is_a_warning() =>
        Assert.Equal(["Specifying a kernel memory limit is deprecated and will be removed in a future release."],
            HostConfigValidator.Validate(new HostConfig { KernelMemory = 10 * 1024 * 1024 }, 2));
}
