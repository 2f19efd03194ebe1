using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Bind mounts, named and anonymous volumes, volume containers, --mount and --tmpfs through the docker CLI: data that outlives its containers.</summary>
public sealed class VolumeTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private async Task<string> Run(params string[] args) => (await daemon.DockerAsync(["run", "--rm", .. args], stdin: null)).AssertSuccess().Stdout;

    private async Task AssertRefused(string message, params string[] args)
    {
        var result = await daemon.DockerAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }

    [Fact]
    public async Task Bind_mounts_show_the_host_directory_itself_and_read_only_ones_refuse_writes()
    {
        var dir = Path.Combine(daemon.Root, "shared");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "from-host.txt"), "host data\n");
        var single = Path.Combine(daemon.Root, "single.conf");
        await File.WriteAllTextAsync(single, "one file\n");

        Assert.Equal("host data\none file\n", await Run("-v", dir + ":/data", "-v", single + ":/etc/single.conf", "busybox", "sh", "-c",
            "cat /data/from-host.txt /etc/single.conf; echo written > /data/from-container.txt"));
        Assert.Equal("written\n", await File.ReadAllTextAsync(Path.Combine(dir, "from-container.txt")));

        var readOnly = await daemon.DockerAsync("run", "--rm", "-v", dir + ":/data:ro", "busybox", "sh", "-c", "cat /data/from-host.txt; touch /data/nope");
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("Read-only file system", readOnly.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "nope")));

        // -v makes a missing host directory; --mount refuses it.
        var missing = Path.Combine(daemon.Root, "made", "by", "v");
        await Run("-v", missing + ":/made", "busybox", "true");
        Assert.True(Directory.Exists(missing));
        await AssertRefused("bind source path does not exist: /nonexistent/berth", "run", "--rm", "--mount", "type=bind,src=/nonexistent/berth,dst=/x", "busybox", "true");

        var mounts = (await daemon.DockerAsync("create", "--name", "bound", "-v", dir + ":/data:ro", "--mount", $"type=bind,src={dir},dst=/other,bind-propagation=rslave", "busybox", "true")).AssertSuccess();
        Assert.Equal($"bind|{dir}|/data|ro|false|rprivate;bind|{dir}|/other||true|rslave;",
            (await daemon.DockerAsync("inspect", "-f", "{{range .Mounts}}{{.Type}}|{{.Source}}|{{.Destination}}|{{.Mode}}|{{.RW}}|{{.Propagation}};{{end}}", "bound")).AssertSuccess().Stdout.Trim());
    }

    [Fact]
    public async Task Named_volumes_are_shared_outlive_their_containers_and_survive_a_daemon_restart()
    {
        (await daemon.DockerAsync("volume", "create", "--label", "team=blue", "data1")).AssertSuccess();
        var inspect = (await daemon.DockerAsync("volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.team}} {{.Mountpoint}}", "data1")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"data1 local local blue {daemon.DataRoot}/volumes/data1/_data", inspect);
        Assert.Equal("data1", (await daemon.DockerAsync("inspect", "-f", "{{.Name}}", "data1")).AssertSuccess().Stdout.Trim());

        (await daemon.DockerAsync("run", "-d", "--name", "writer", "-v", "data1:/data", "busybox", "sh", "-c", "echo shared > /data/note; sleep 1000")).AssertSuccess();
        await Poll.UntilAsync(async () => (await daemon.DockerAsync("run", "--rm", "-v", "data1:/in", "busybox", "cat", "/in/note")).Stdout == "shared\n", "the second container to read the first one's write");
        Assert.Equal("shared\n", await File.ReadAllTextAsync($"{daemon.DataRoot}/volumes/data1/_data/note"));

        var inUse = await daemon.DockerAsync("volume", "rm", "data1");
        Assert.NotEqual(0, inUse.ExitCode);
        Assert.Contains("volume is in use", inUse.Stderr);
        (await daemon.DockerAsync("rm", "-f", "-v", "writer")).AssertSuccess();
        Assert.Equal(["data1"], (await daemon.DockerAsync("volume", "ls", "-q")).AssertSuccess().Lines);

        await daemon.KillAsync();
        await daemon.StartProcessAsync();
        Assert.Equal("shared\n", await Run("-v", "data1:/data", "busybox", "cat", "/data/note"));
        Assert.Equal(["data1"], (await daemon.DockerAsync("volume", "ls", "--filter", "label=team=blue", "--format", "{{.Name}}")).AssertSuccess().Lines);
        (await daemon.DockerAsync("volume", "rm", "data1")).AssertSuccess();
        Assert.False(Directory.Exists($"{daemon.DataRoot}/volumes/data1"));
        await AssertRefused("no such volume", "volume", "inspect", "data1");
    }

    [Fact]
    public async Task Anonymous_volumes_go_with_rm_v_and_run_rm_and_prune_keeps_named_ones_unless_all()
    {
        (await daemon.DockerAsync("create", "--name", "anon", "-v", "/scratch", "busybox", "true")).AssertSuccess();
        var name = (await daemon.DockerAsync("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", "anon")).AssertSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", name);
        Assert.Contains(name, (await daemon.DockerAsync("volume", "ls", "-q")).Stdout);
        (await daemon.DockerAsync("rm", "-v", "anon")).AssertSuccess();

        // inspect's modes, as dockerd shows them: "z" for a named -v and any --mount volume, none for -v /path.
        (await daemon.DockerAsync("create", "--name", "modes", "-v", "named1:/a", "-v", "/b", "--mount", "type=volume,dst=/c", "busybox", "true")).AssertSuccess();
        Assert.Equal(["/a=z", "/b=", "/c=z"], (await daemon.DockerAsync("inspect", "-f", "{{range .Mounts}}{{.Destination}}={{.Mode}};{{end}}", "modes")).AssertSuccess()
            .Stdout.Trim().Split(';', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        (await daemon.DockerAsync("rm", "-v", "modes")).AssertSuccess();
        (await daemon.DockerAsync("volume", "rm", "named1")).AssertSuccess();
        Assert.DoesNotContain(name, (await daemon.DockerAsync("volume", "ls", "-q")).Stdout);

        await Run("-v", "/gone", "busybox", "true");
        Assert.Equal("", (await daemon.DockerAsync("volume", "ls", "-q")).AssertSuccess().Stdout);

        // A plain rm keeps anonymous volumes; prune takes them, and named ones only with --all.
        (await daemon.DockerAsync("volume", "create", "keepme")).AssertSuccess();
        (await daemon.DockerAsync("run", "--name", "left", "-v", "/left", "busybox", "true")).AssertSuccess();
        (await daemon.DockerAsync("rm", "left")).AssertSuccess();
        Assert.Equal(2, (await daemon.DockerAsync("volume", "ls", "-q")).AssertSuccess().Lines.Length);
        Assert.Equal(["keepme"], (await daemon.DockerAsync("volume", "ls", "--filter", "dangling=true", "--filter", "name=keep", "--format", "{{.Name}}")).AssertSuccess().Lines);
        (await daemon.DockerAsync("volume", "prune", "-f")).AssertSuccess();
        Assert.Equal(["keepme"], (await daemon.DockerAsync("volume", "ls", "-q")).AssertSuccess().Lines);
        (await daemon.DockerAsync("volume", "prune", "-f", "--all")).AssertSuccess();
        Assert.Equal("", (await daemon.DockerAsync("volume", "ls", "-q")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task An_empty_volume_is_filled_from_the_image_once_unless_nocopy()
    {
        (await daemon.DockerAsync("run", "--name", "imagemaker", "busybox", "sh", "-c",
            "mkdir -p /seed && echo from-image > /seed/file && ln -s file /seed/link && chown 1000:1000 /seed/file && chmod 640 /seed/file")).AssertSuccess();
        (await daemon.DockerAsync("commit", "-c", "VOLUME /seed", "imagemaker", "seeded")).AssertSuccess();

        Assert.Equal("1000 640 file from-image\n", await Run("-v", "filled:/seed", "seeded", "sh", "-c", "stat -c '%u %a' /seed/file | tr '\\n' ' '; readlink /seed/link | tr '\\n' ' '; cat /seed/file"));
        // Data already in the volume is never overwritten.
        await Run("-v", "filled:/seed", "seeded", "sh", "-c", "echo changed > /seed/file");
        Assert.Equal("changed\n", await Run("-v", "filled:/seed", "seeded", "cat", "/seed/file"));
        Assert.Equal("", await Run("-v", "empty:/seed:nocopy", "seeded", "ls", "/seed"));
        Assert.Equal("", await Run("--mount", "type=volume,src=empty2,dst=/seed,volume-nocopy", "seeded", "ls", "/seed"));
        // As dockerd, the copy happens at create: another container sees the files before the first one starts.
        (await daemon.DockerAsync("create", "--name", "early", "-v", "early:/seed", "seeded", "true")).AssertSuccess();
        Assert.Equal("from-image\n", await Run("-v", "early:/other", "busybox", "cat", "/other/file"));
        // The image's own VOLUME gets an anonymous volume filled from the image.
        Assert.Equal("from-image\n", await Run("seeded", "cat", "/seed/file"));
    }

    [Fact]
    public async Task Volumes_from_mount_and_tmpfs_give_the_mounts_asked_for()
    {
        var dir = Path.Combine(daemon.Root, "vf");
        Directory.CreateDirectory(dir);
        (await daemon.DockerAsync("create", "--name", "holder", "-v", "held:/held", "-v", dir + ":/bound", "-v", "/anon", "busybox", "true")).AssertSuccess();
        Assert.Equal("/anon /bound /held \n", await Run("--volumes-from", "holder", "busybox", "sh", "-c", "for d in /anon /bound /held; do [ -d $d ] && printf '%s ' $d; done; echo"));
        var ro = await daemon.DockerAsync("run", "--rm", "--volumes-from", "holder:ro", "busybox", "touch", "/held/x");
        Assert.Contains("Read-only file system", ro.Stderr);

        var tmpfs = await Run("--tmpfs", "/fast:rw,size=64k,mode=1770", "--mount", "type=tmpfs,dst=/other,tmpfs-size=1048576", "--mount", "type=volume,src=viamount,dst=/v,volume-label=k=v",
            "busybox", "sh", "-c", "grep -E ' /fast | /other ' /proc/mounts | cut -d' ' -f2-4; stat -c %a /fast");
        Assert.Contains("/fast tmpfs rw,nosuid,nodev,noexec,relatime,size=64k,mode=1770", tmpfs);
        Assert.Contains("/other tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k", tmpfs);
        Assert.EndsWith("1770\n", tmpfs);
        Assert.Equal("v", (await daemon.DockerAsync("volume", "inspect", "-f", "{{.Labels.k}}", "viamount")).AssertSuccess().Stdout.Trim());
        await AssertRefused("No such container: nosuch", "run", "--rm", "--volumes-from", "nosuch", "busybox", "true");
    }

    [Fact]
    public async Task A_symlink_in_the_image_never_takes_a_mount_or_a_copy_up_onto_the_host()
    {
        (await daemon.DockerAsync("run", "--name", "linker", "busybox", "sh", "-c", "ln -s /etc /evil")).AssertSuccess();
        (await daemon.DockerAsync("commit", "linker", "evil")).AssertSuccess();
        var marker = "berth-escape-" + Guid.NewGuid().ToString("N")[..8];
        await Run("-v", "trap:/evil", "evil", "sh", "-c", $"touch /evil/{marker}");
        Assert.False(File.Exists("/etc/" + marker), "a mount through the image's symlink landed on the host's /etc");
        var copied = Directory.EnumerateFileSystemEntries($"{daemon.DataRoot}/volumes/trap/_data").Select(Path.GetFileName).ToList();
        Assert.Contains("passwd", copied);
        Assert.DoesNotContain("debian_version", copied);
    }

    [Fact]
    public async Task Bad_volume_input_is_refused_with_dockerds_messages_and_nothing_is_left()
    {
        await AssertRefused("includes invalid characters for a local volume name", "volume", "create", "bad name");
        await AssertRefused("Duplicate mount point: /x", "run", "--rm", "-v", "/tmp:/x", "-v", "/var:/x", "busybox", "true");
        await AssertRefused("destination can't be '/'", "run", "--rm", "-v", "/tmp:/", "busybox", "true");
        await AssertRefused("includes invalid characters for a local volume name", "run", "--rm", "-v", "rel/dir:/x", "busybox", "true");
        await AssertRefused("no such volume", "volume", "rm", "nosuch");
        Assert.Equal("", (await daemon.DockerAsync("volume", "ls", "-q")).AssertSuccess().Stdout);
        Assert.Equal("", (await daemon.DockerAsync("ps", "-aq")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Volumes_with_driver_options_are_mounted_while_used_and_ps_filters_by_volume()
    {
        (await daemon.DockerAsync("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=2m", "ramvol")).AssertSuccess();
        Assert.Equal("map[device:tmpfs o:size=2m type:tmpfs]", (await daemon.DockerAsync("volume", "inspect", "-f", "{{.Options}}", "ramvol")).AssertSuccess().Stdout.Trim());
        (await daemon.DockerAsync("run", "-d", "--name", "ramuser", "-v", "ramvol:/ram", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Contains(" /ram tmpfs ", (await daemon.DockerAsync("exec", "ramuser", "cat", "/proc/mounts")).AssertSuccess().Stdout);
        Assert.Contains("size=2048k", (await daemon.DockerAsync("exec", "ramuser", "grep", " /ram ", "/proc/mounts")).AssertSuccess().Stdout);
        Assert.Equal(["ramuser"], (await daemon.DockerAsync("ps", "--filter", "volume=ramvol", "--format", "{{.Names}}")).AssertSuccess().Lines);
        Assert.Equal(["ramuser"], (await daemon.DockerAsync("ps", "--filter", "volume=/ram", "--format", "{{.Names}}")).AssertSuccess().Lines);
        var data = $"{daemon.DataRoot}/volumes/ramvol/_data";
        Assert.Contains(" " + data + " ", await File.ReadAllTextAsync("/proc/self/mountinfo"));
        (await daemon.DockerAsync("rm", "-f", "ramuser")).AssertSuccess();
        Assert.DoesNotContain(" " + data + " ", await File.ReadAllTextAsync("/proc/self/mountinfo"));
    }

    [Fact]
    public async Task Cp_reaches_into_volumes_and_bind_mounts_of_a_container()
    {
        var dir = Path.Combine(daemon.Root, "cpbind");
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "on-host.txt"), "bound\n");
        (await daemon.DockerAsync("run", "-d", "--name", "cpv", "-v", "cpvol:/data", "-v", dir + ":/bound:ro", "busybox", "sleep", "1000")).AssertSuccess();
        var local = Path.Combine(daemon.Root, "to-copy.txt");
        await File.WriteAllTextAsync(local, "copied in\n");

        (await daemon.DockerAsync("cp", local, "cpv:/data/")).AssertSuccess();
        Assert.Equal("copied in\n", (await daemon.DockerAsync("exec", "cpv", "cat", "/data/to-copy.txt")).AssertSuccess().Stdout);
        Assert.Equal("copied in\n", await File.ReadAllTextAsync($"{daemon.DataRoot}/volumes/cpvol/_data/to-copy.txt"));

        var back = Path.Combine(daemon.Root, "back");
        Directory.CreateDirectory(back);
        (await daemon.DockerAsync("cp", "cpv:/bound/on-host.txt", back)).AssertSuccess();
        Assert.Equal("bound\n", await File.ReadAllTextAsync(Path.Combine(back, "on-host.txt")));
        (await daemon.DockerAsync("cp", "cpv:/data", back)).AssertSuccess();
        Assert.Equal("copied in\n", await File.ReadAllTextAsync(Path.Combine(back, "data", "to-copy.txt")));

        var readOnly = await daemon.DockerAsync("cp", local, "cpv:/bound/");
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Contains("mounted volume is marked read-only", readOnly.Stderr);
    }

    [Fact]
    public async Task System_df_reports_volume_sizes_and_users_with_images_and_containers()
    {
        (await daemon.DockerAsync("run", "--name", "dfuser", "-v", "dfvol:/d", "busybox", "sh", "-c", "head -c 100000 /dev/zero > /d/blob")).AssertSuccess();
        (await daemon.DockerAsync("volume", "create", "dfidle")).AssertSuccess();
        var volumes = (await daemon.DockerAsync("system", "df", "-v", "--format", "{{range .Volumes}}{{.Name}} {{.Links}} {{.Size}};{{end}}")).AssertSuccess().Stdout;
        Assert.Contains("dfvol 1 100kB;", volumes);
        Assert.Contains("dfidle 0 0B;", volumes);
        var table = (await daemon.DockerAsync("system", "df", "--format", "{{.Type}} {{.TotalCount}} {{.Active}}")).AssertSuccess().Lines;
        Assert.Equal(["Images 1 1", "Containers 1 0", "Local Volumes 2 1", "Build Cache 0 0"], table);
    }
}
