using System.Text.Json.Nodes;
using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Docker's default security and the options that change it, seen from inside the container (values as dockerd 20.10 gives them here).</summary>
public sealed class ContainerSecurityTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private async Task<string> RunAsync(params string[] args) =>
        (await daemon.DockerAsync(["run", "--rm", .. args], stdin: null)).AssertSuccess().Stdout;

    [Theory]
    [InlineData(new string[0], "CapEff:\t00000000a80425fb")]
    [InlineData(new[] { "--cap-drop", "ALL" }, "CapEff:\t0000000000000000")]
    [InlineData(new[] { "--cap-add", "NET_ADMIN" }, "CapEff:\t00000000a80435fb")]
    [InlineData(new[] { "--cap-drop", "CHOWN" }, "CapEff:\t00000000a80425fa")]
    public async Task Capabilities_are_dockers_default_set_changed_by_cap_add_and_drop(string[] options, string expected) =>
        Assert.Contains(expected, await RunAsync([.. options, "busybox", "grep", "CapEff", "/proc/self/status"]));

    [Fact]
    public async Task Privileged_fails_here_as_it_does_for_dockerd()
    {
        // This VM's bounding set lacks CAP_SYS_RESOURCE, so runc cannot grant all capabilities (recorded from dockerd too).
        var run = await daemon.DockerAsync("run", "--rm", "--privileged", "busybox", "true");
        Assert.Equal(125, run.ExitCode);
        Assert.Contains("OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown", run.Stderr);
    }

    [Fact]
    public async Task Seccomp_is_on_by_default_and_follows_security_opt()
    {
        Assert.Contains("Seccomp:\t2", await RunAsync("busybox", "grep", "Seccomp:", "/proc/self/status"));
        Assert.Contains("Seccomp:\t0", await RunAsync("--security-opt", "seccomp=unconfined", "busybox", "grep", "Seccomp:", "/proc/self/status"));
        Assert.Contains("NoNewPrivs:\t0", await RunAsync("busybox", "grep", "NoNewPrivs", "/proc/self/status"));
        Assert.Contains("NoNewPrivs:\t1", await RunAsync("--security-opt", "no-new-privileges", "busybox", "grep", "NoNewPrivs", "/proc/self/status"));

        // A profile of the user's own: Docker's default without mkdir.
        var profile = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "..", "shared", "reference", "seccomp-default.json")))!;
        foreach (var rule in profile["syscalls"]!.AsArray())
        {
            var names = rule!["names"]!.AsArray().Select(n => n!.GetValue<string>()).Where(n => n is not ("mkdir" or "mkdirat")).ToArray();
            rule["names"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray());
        }
        var path = Path.Combine(daemon.Root, "no-mkdir.json");
        await File.WriteAllTextAsync(path, profile.ToJsonString());
        var denied = await daemon.DockerAsync("run", "--rm", "--security-opt", $"seccomp={path}", "busybox", "mkdir", "/x");
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("Operation not permitted", denied.Stderr);
        Assert.Equal("", await RunAsync("busybox", "mkdir", "/x"));
    }

    [Fact]
    public async Task Read_only_roots_masked_and_read_only_proc_paths_hold()
    {
        var readOnly = await daemon.DockerAsync("run", "--rm", "--read-only", "busybox", "sh", "-c", "touch /x; touch /dev/shm/y && echo shm-writable");
        Assert.Contains("touch: /x: Read-only file system", readOnly.Stderr);
        Assert.Equal("shm-writable\n", readOnly.Stdout);
        // /proc/keys and /proc/timer_list are masked with /dev/null, /proc/sys is read-only.
        Assert.Equal("0\n0\n", await RunAsync("busybox", "sh", "-c", "wc -c < /proc/keys; wc -c < /proc/timer_list"));
        var write = await daemon.DockerAsync("run", "--rm", "busybox", "sh", "-c", "echo x > /proc/sys/kernel/domainname");
        Assert.Contains("Read-only file system", write.Stderr);
    }

    [Fact]
    public async Task Ulimits_shm_size_devices_and_sysctls_reach_the_container()
    {
        Assert.Equal("1024\n2048\n", await RunAsync("--ulimit", "nofile=1024:2048", "busybox", "sh", "-c", "ulimit -n; ulimit -Hn"));
        Assert.Contains("size=65536k", await RunAsync("busybox", "grep", "/dev/shm", "/proc/mounts"));
        Assert.Contains("size=131072k", await RunAsync("--shm-size", "128m", "busybox", "grep", "/dev/shm", "/proc/mounts"));
        Assert.StartsWith("crw-rw-rw-", await RunAsync("--device", "/dev/null:/dev/mynull", "busybox", "ls", "-l", "/dev/mynull"));
        Assert.Equal("ok\n", await RunAsync("--device", "/dev/null:/dev/mynull", "busybox", "sh", "-c", "echo x > /dev/mynull && echo ok"));
        var missing = await daemon.DockerAsync("run", "--rm", "--device", "/dev/nosuch", "busybox", "true");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("error gathering device information while adding custom device \"/dev/nosuch\": no such file or directory", missing.Stderr);
        Assert.Equal("1\n", await RunAsync("--sysctl", "net.ipv4.ip_forward=1", "busybox", "cat", "/proc/sys/net/ipv4/ip_forward"));
    }
}
