using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Resource limits end to end: the docker CLI's flags land in the container's cgroup, the kernel enforces them, and dockerd's checks refuse bad values.</summary>
public sealed class ContainerLimitsTests(DaemonFixture fixture) : IClassFixture<DaemonFixture>
{
    [Fact]
    public async Task Limits_land_in_the_containers_cgroup()
    {
        var daemon = fixture.Daemon;
        // As dockerd: without BFQ's or CFQ's weight files the kernel cannot weigh block I/O, and the weight is discarded with a warning.
        var weighs = Cgroups.Unified || File.Exists("/sys/fs/cgroup/blkio/blkio.weight") || File.Exists("/sys/fs/cgroup/blkio/blkio.bfq.weight");
        var run = (await daemon.DockerAsync("run", "-d", "--name", "lim", "--memory", "64m", "--memory-swap", "128m", "--memory-reservation", "32m",
            "--cpus", "1.5", "--cpu-shares", "512", "--cpuset-cpus", "1", "--pids-limit", "50", "--blkio-weight", "300", "busybox", "sleep", "1000")).AssertSuccess();
        var id = run.Stdout.Trim();
        if (!weighs) Assert.Contains("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.", run.Stderr);
        Assert.Equal("67108864 134217728 33554432 1500000000 512 1 50 " + (weighs ? "300" : "0"),
            await daemon.InspectAsync("lim", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{.HostConfig.NanoCpus}} {{.HostConfig.CpuShares}} {{.HostConfig.CpusetCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.BlkioWeight}}"));

        var parent = daemon.CgroupParent;
        if (Cgroups.Unified)
        {
            Assert.Equal("67108864", Cgroups.V2(parent, id, "memory.max"));
            Assert.Equal("67108864", Cgroups.V2(parent, id, "memory.swap.max")); // v2 counts swap alone
            Assert.Equal("33554432", Cgroups.V2(parent, id, "memory.low"));
            Assert.Equal("150000 100000", Cgroups.V2(parent, id, "cpu.max"));
            Assert.Equal("20", Cgroups.V2(parent, id, "cpu.weight")); // runc: 1 + (shares - 2) * 9999 / 262142
            Assert.Equal("1", Cgroups.V2(parent, id, "cpuset.cpus"));
            Assert.Equal("50", Cgroups.V2(parent, id, "pids.max"));
            if (Cgroups.V2Exists(parent, id, "io.bfq.weight")) Assert.Equal("default 300", Cgroups.V2(parent, id, "io.bfq.weight"));
        }
        else
        {
            Assert.Equal("67108864", Cgroups.V1(parent, id, "memory", "memory.limit_in_bytes"));
            Assert.Equal("134217728", Cgroups.V1(parent, id, "memory", "memory.memsw.limit_in_bytes"));
            Assert.Equal("33554432", Cgroups.V1(parent, id, "memory", "memory.soft_limit_in_bytes"));
            Assert.Equal("150000", Cgroups.V1(parent, id, "cpu", "cpu.cfs_quota_us"));
            Assert.Equal("100000", Cgroups.V1(parent, id, "cpu", "cpu.cfs_period_us"));
            Assert.Equal("512", Cgroups.V1(parent, id, "cpu", "cpu.shares"));
            Assert.Equal("1", Cgroups.V1(parent, id, "cpuset", "cpuset.cpus"));
            Assert.Equal("50", Cgroups.V1(parent, id, "pids", "pids.max"));
            // runc writes the BFQ weight where the kernel has BFQ's files, else the CFQ-era blkio.weight.
            if (weighs)
            {
                var weight = Cgroups.V1Exists(parent, id, "blkio", "blkio.bfq.weight")
                    ? Cgroups.V1(parent, id, "blkio", "blkio.bfq.weight")
                    : Cgroups.V1(parent, id, "blkio", "blkio.weight");
                Assert.EndsWith("300", weight);
            }
        }

        // The container sees its own limits too.
        var inside = (await daemon.DockerAsync("run", "--rm", "--pids-limit", "5", "--cpuset-cpus", "0", "busybox", "sh", "-c",
            Cgroups.Unified ? "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpuset.cpus" : "cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpuset/cpuset.cpus")).AssertSuccess();
        Assert.Equal("5\n0\n", inside.Stdout);
    }

    [Fact]
    public async Task Memory_alone_allows_as_much_swap_again_and_zero_pids_limit_means_none()
    {
        var daemon = fixture.Daemon;
        var id = (await daemon.DockerAsync("run", "-d", "--name", "m10", "--memory", "10m", "busybox", "sleep", "1000")).AssertSuccess().Stdout.Trim();
        Assert.Equal("10485760 20971520 0 null false",
            await daemon.InspectAsync("m10", "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{json .HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}}"));
        if (Cgroups.Unified) Assert.Equal("10485760", Cgroups.V2(daemon.CgroupParent, id, "memory.swap.max"));
        else Assert.Equal("20971520", Cgroups.V1(daemon.CgroupParent, id, "memory", "memory.memsw.limit_in_bytes"));

        var unlimitedSwap = (await daemon.DockerAsync("create", "--memory", "10m", "--memory-swap", "-1", "--memory-reservation", "8m", "--memory-swappiness", "0", "--oom-kill-disable", "busybox")).AssertSuccess().Stdout.Trim();
        Assert.Equal("10485760 -1 8388608 0 true",
            await daemon.InspectAsync(unlimitedSwap, "{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.MemoryReservation}} {{json .HostConfig.MemorySwappiness}} {{.HostConfig.OomKillDisable}}"));

        foreach (var (limit, expected) in new[] { ("5", "5"), ("0", "null"), ("-1", "null") })
        {
            var created = (await daemon.DockerAsync("create", "--pids-limit", limit, "busybox")).AssertSuccess().Stdout.Trim();
            Assert.Equal(expected, await daemon.InspectAsync(created, "{{json .HostConfig.PidsLimit}}"));
        }
    }

    [Fact]
    public async Task A_pids_limit_makes_fork_fail()
    {
        var daemon = fixture.Daemon;
        var run = await daemon.DockerAsync("run", "--rm", "--pids-limit", "5", "busybox", "sh", "-c", "for i in 1 2 3 4 5 6; do sleep 2 & done; wait");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("sh: can't fork: Resource temporarily unavailable", run.Stderr);
    }

    [Fact]
    public async Task An_oom_kill_exits_137_and_is_recorded()
    {
        var daemon = fixture.Daemon;
        const string hog = "x=$(yes | head -c 50000000); echo survived";
        (await daemon.DockerAsync("run", "-d", "--name", "oom", "--memory", "10m", "busybox", "sh", "-c", hog)).AssertSuccess();
        Assert.Equal("137\n", (await daemon.DockerAsync("wait", "oom")).AssertSuccess().Stdout);
        Assert.Equal("exited 137 true \"\"", await daemon.InspectAsync("oom", "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}} {{json .State.Error}}"));
        Assert.StartsWith("Exited (137) ", (await daemon.DockerAsync("ps", "-a", "--filter", "name=oom", "--format", "{{.Status}}")).Stdout);
        Assert.Equal("", (await daemon.DockerAsync("logs", "oom")).Stdout);

        var foreground = await daemon.DockerAsync("run", "--memory", "10m", "busybox", "sh", "-c", hog);
        Assert.Equal(137, foreground.ExitCode);
        Assert.Equal("", foreground.Stdout);

        // A later clean run clears the flag.
        (await daemon.DockerAsync("run", "--name", "fine", "--memory", "10m", "busybox", "true")).AssertSuccess();
        Assert.Equal("false", await daemon.InspectAsync("fine", "{{.State.OOMKilled}}"));
    }

    [Theory]
    [InlineData("--memory-reservation 20m --memory 10m", "Minimum memory limit can not be less than memory reservation limit, see usage")]
    [InlineData("--memory 4m", "Minimum memory limit allowed is 6MB")]
    [InlineData("--memory 10m --memory-swap 5m", "Minimum memoryswap limit should be larger than memory limit, see usage")]
    [InlineData("--memory-swap 20m", "You should always set the Memory limit when using Memoryswap limit, see usage")]
    [InlineData("--cpus 0.5 --cpu-period 100000", "Conflicting options: Nano CPUs and CPU Period cannot both be set")]
    [InlineData("--cpuset-cpus abc", "Invalid value abc for cpuset cpus: invalid format: abc")]
    [InlineData("--cpuset-cpus 0-1,x", "Invalid value 0-1,x for cpuset cpus: invalid format: 0-1,x")]
    [InlineData("--cpuset-cpus 4096", "Requested CPUs are not available - requested 4096, available: 0-")]
    [InlineData("--cpuset-mems 63", "Requested memory nodes are not available - requested 63, available: ")]
    [InlineData("--oom-score-adj 5000", "Invalid value 5000, range for oom score adj is [-1000, 1000]")]
    [InlineData("--restart bogus", "invalid restart policy 'bogus'")]
    [InlineData("--restart always:3", "maximum retry count cannot be used with restart policy 'always'")]
    [InlineData("--restart on-failure:-1", "maximum retry count cannot be negative")]
    public async Task Bad_values_are_refused_with_dockerds_message(string flags, string message)
    {
        var daemon = fixture.Daemon;
        var before = (await daemon.DockerAsync("ps", "-aq")).AssertSuccess().Lines.Length;
        var run = await daemon.DockerAsync(["run", .. flags.Split(' '), "busybox", "true"], stdin: null);
        Assert.Equal(125, run.ExitCode);
        Assert.StartsWith($"docker: Error response from daemon: {message}", run.Stderr);
        Assert.EndsWith("\n\nRun 'docker run --help' for more information\n", run.Stderr);
        var create = await daemon.DockerAsync(["create", .. flags.Split(' '), "busybox"], stdin: null);
        Assert.Equal(1, create.ExitCode);
        Assert.StartsWith($"Error response from daemon: {message}", create.Stderr);
        Assert.Equal(before, (await daemon.DockerAsync("ps", "-aq")).AssertSuccess().Lines.Length);
    }

    [Fact]
    public async Task Cpus_beyond_the_host_and_kernel_memory_are_handled_as_dockerd_does()
    {
        var daemon = fixture.Daemon;
        var cpus = Environment.ProcessorCount;
        var run = await daemon.DockerAsync("run", "--rm", "--cpus", (cpus + 3).ToString(), "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.StartsWith($"docker: Error response from daemon: Range of CPUs is from 0.01 to {cpus}.00, as there are only {cpus} CPUs available", run.Stderr);

        // Below the kernel's smallest CFS quota: dockerd passes it on and runc refuses it.
        var tiny = await daemon.DockerAsync("run", "--rm", "--cpus", "0.001", "busybox", "true");
        Assert.Equal(125, tiny.ExitCode);
        Assert.StartsWith("docker: Error response from daemon: failed to create shim task: OCI runtime create failed: ", tiny.Stderr);
        Assert.Contains(Cgroups.Unified ? "cpu.max: invalid argument" : "cpu.cfs_quota_us: invalid argument", tiny.Stderr);

        // The CLI sends --kernel-memory only to API 1.41 and older; dockerd 20.10 answered it with this warning.
        using var kernel = await daemon.Client.RawAsync(HttpMethod.Post, "/v1.41/containers/create",
            new StringContent("""{"Image":"busybox","HostConfig":{"KernelMemory":10485760}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, kernel.StatusCode);
        Assert.EndsWith("\",\"Warnings\":[\"Specifying a kernel memory limit is deprecated and will be removed in a future release.\"]}\n", await kernel.Content.ReadAsStringAsync());
    }
}
