using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Tests;

/// <summary>Both readers over a cgroup tree laid out as each cgroup version lays it out.</summary>
public sealed class CgroupReaderTests : IDisposable
{
    private const string Path = "/berth/abc";
    private readonly string root = Directory.CreateTempSubdirectory("berth-cgroup-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Write(string relative, string content)
    {
        var file = System.IO.Path.Combine(root, relative.TrimStart('/'));
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }

    [Fact]
    public void V1_reads_each_controller_hierarchy()
    {
        Write($"cpuacct{Path}/cpuacct.usage", "300\n");
        Write($"cpuacct{Path}/cpuacct.stat", "user 1\nsystem 0\n");
        Write($"cpuacct{Path}/cpuacct.usage_percpu", "100 200\n");
        Write($"cpu{Path}/cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
        Write($"memory{Path}/memory.usage_in_bytes", "4096\n");
        Write($"memory{Path}/memory.max_usage_in_bytes", "8192\n");
        Write($"memory{Path}/memory.limit_in_bytes", "9223372036854771712\n");
        Write($"memory{Path}/memory.stat", "rss 4096\n");
        Write($"pids{Path}/pids.current", "2\n");
        Write($"pids{Path}/pids.max", "max\n");
        Write($"pids{Path}/cgroup.procs", "41\n42\n");
        Write($"blkio{Path}/blkio.throttle.io_service_bytes_recursive", "8:0 Read 512\n8:0 Write 0\nTotal 512\n");
        Write($"blkio{Path}/blkio.throttle.io_serviced_recursive", "8:0 Read 1\nTotal 1\n");
        Write($"freezer{Path}/freezer.state", "FROZEN\n");

        var reader = CgroupReader.For(Path, unified: false, root);
        var stats = reader.ReadStats();
        Assert.Equal(300UL, stats.Cpu.Total);
        Assert.Equal([100UL, 200UL], stats.Cpu.PerCpu);
        Assert.Equal(4096UL, stats.Memory.Usage);
        Assert.Equal(9223372036854771712UL, stats.Memory.Limit);
        Assert.Equal(new PidsCounters(2, null), stats.Pids);
        Assert.Equal([new BlockIoEntry(8, 0, "Read", 512), new BlockIoEntry(8, 0, "Write", 0)], stats.BlockIo.ServiceBytes);
        Assert.NotNull(stats.BlockIo.Serviced);
        Assert.Equal([41, 42], reader.Processes());
        Assert.True(reader.IsFrozen());
    }

    [Fact]
    public void V2_reads_the_one_directory()
    {
        Write($"{Path}/cpu.stat", "usage_usec 3\nuser_usec 2\nsystem_usec 1\n");
        Write($"{Path}/memory.current", "4096\n");
        Write($"{Path}/memory.max", "10485760\n");
        Write($"{Path}/memory.stat", "anon 4096\n");
        Write($"{Path}/memory.events", "oom 0\n");
        Write($"{Path}/pids.current", "1\n");
        Write($"{Path}/pids.max", "5\n");
        Write($"{Path}/io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=1 dbytes=0 dios=0\n");
        Write($"{Path}/cgroup.procs", "7\n");
        Write($"{Path}/cgroup.freeze", "0\n");

        var reader = CgroupReader.For(Path, unified: true, root);
        var stats = reader.ReadStats();
        Assert.Equal(3000UL, stats.Cpu.Total);
        Assert.Equal(10485760UL, stats.Memory.Limit);
        Assert.Equal(new PidsCounters(1, 5), stats.Pids);
        Assert.Equal([new BlockIoEntry(8, 0, "read", 10), new BlockIoEntry(8, 0, "write", 20)], stats.BlockIo.ServiceBytes);
        Assert.Null(stats.BlockIo.Serviced);
        Assert.Equal([7], reader.Processes());
        Assert.False(reader.IsFrozen());
    }

    [Fact]
    public void A_cgroup_that_is_gone_reads_as_zeros()
    {
        var stats = CgroupReader.For(Path, unified: false, root).ReadStats();
        Assert.Equal(0UL, stats.Cpu.Total);
        Assert.Null(stats.Memory.Limit);
        Assert.Empty(CgroupReader.For(Path, unified: true, root).Processes());
    }


    [Fact]
    public void Oom_kills_are_read_from_each_versions_counter()
    {
        var v1 = CgroupReader.For(Path, unified: false, root);
        var v2 = CgroupReader.For(Path, unified: true, root);
        Assert.False(v1.WasOomKilled());
        Assert.False(v2.WasOomKilled());
        Write($"memory{Path}/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        Write($"{Path}/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n");
        Assert.True(v1.WasOomKilled());
        Assert.False(v2.WasOomKilled());
        Write($"{Path}/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 2\n");
        Assert.True(v2.WasOomKilled());
    }
}
