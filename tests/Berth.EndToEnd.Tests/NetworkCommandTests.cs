using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>network create, ls, inspect, rm, prune, connect and disconnect through the docker CLI, with dockerd's refusals.</summary>
public sealed class NetworkCommandTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private async Task<string> Format(string format, params string[] args) =>
        (await daemon.DockerAsync(["network", "inspect", "-f", format, .. args], stdin: null)).AssertSuccess().Stdout.Trim();

    private async Task AssertRefused(string message, params string[] args)
    {
        var result = await daemon.DockerAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }

    [Fact]
    public async Task Create_takes_subnets_ranges_gateways_options_and_labels_and_refuses_what_dockerd_refuses()
    {
        var id = (await daemon.DockerAsync("network", "create", "--subnet", "10.10.0.0/24", "--gateway", "10.10.0.254", "--ip-range", "10.10.0.128/25",
            "--aux-address", "reserved=10.10.0.130", "--label", "team=blue", "--attachable", "-o", "com.docker.network.bridge.name=custombr", "custom")).AssertSuccess().Stdout.Trim();
        Assert.Equal(64, id.Length);
        Assert.Equal("10.10.0.0/24 10.10.0.254 10.10.0.128/25 map[reserved:10.10.0.130] blue true custombr bridge",
            await Format("{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}} {{.AuxiliaryAddresses}}{{end}} {{.Labels.team}} {{.Attachable}} {{index .Options \"com.docker.network.bridge.name\"}} {{.Driver}}", "custom"));
        Assert.Contains("inet 10.10.0.254/24", (await daemon.Namespace.RunAsync("ip", "-4", "addr", "show", "custombr")).AssertSuccess().Stdout);

        // Dynamic addresses come from the range, skipping the auxiliary one; --ip picks one.
        (await daemon.DockerAsync("run", "-d", "--name", "ranged", "--network", "custom", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "ranged2", "--network", "custom", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "fixed", "--network", "custom", "--ip", "10.10.0.50", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Equal("10.10.0.129 10.10.0.131 10.10.0.50",
            string.Join(' ', await Task.WhenAll(new[] { "ranged", "ranged2", "fixed" }.Select(async c =>
                (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.custom.IPAddress}}", c)).AssertSuccess().Stdout.Trim()))));
        Assert.Equal("10.10.0.50", (await daemon.DockerAsync("exec", "fixed", "sh", "-c", "ip -4 addr show eth0 | grep -o '10.10.0.50'")).AssertSuccess().Stdout.Trim());

        await AssertRefused("network with name custom already exists", "network", "create", "custom");
        await AssertRefused("Pool overlaps with other one on this address space", "network", "create", "--subnet", "10.10.0.0/16", "overlap");
        await AssertRefused("no matching subnet for gateway 10.20.1.1", "network", "create", "--subnet", "10.20.0.0/24", "--gateway", "10.20.1.1", "badgw");
        await AssertRefused("invalid CIDR address: 10.30.0.0/99", "network", "create", "--subnet", "10.30.0.0/99", "badcidr");
        await AssertRefused("plugin \"nosuch\" not found", "network", "create", "-d", "nosuch", "baddriver");
        await AssertRefused("Address already in use", "run", "--network", "custom", "--ip", "10.10.0.50", "busybox", "true");
        await AssertRefused("user specified IP address is supported on user defined networks only", "run", "--ip", "172.17.0.50", "busybox", "true");
        await AssertRefused("network nosuch not found", "run", "--network", "nosuch", "busybox", "true");
        // Nothing half made: only the good network exists.
        Assert.Equal(["bridge", "custom", "host", "none"], (await daemon.DockerAsync("network", "ls", "--format", "{{.Name}}")).AssertSuccess().Lines.Order().ToArray());
    }

    [Fact]
    public async Task Rm_refuses_networks_in_use_and_prune_removes_the_unused_ones()
    {
        (await daemon.DockerAsync("network", "create", "busy")).AssertSuccess();
        (await daemon.DockerAsync("network", "create", "idle")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "user", "--network", "busy", "busybox", "sleep", "1000")).AssertSuccess();
        await AssertRefused("has active endpoints", "network", "rm", "busy");
        await AssertRefused("bridge is a pre-defined network and cannot be removed", "network", "rm", "bridge");
        await AssertRefused("network nosuch not found", "network", "rm", "nosuch");
        var bridgeName = "br-" + (await Format("{{.Id}}", "idle"))[..12];
        Assert.Equal(0, (await daemon.Namespace.RunAsync("ip", "link", "show", bridgeName)).ExitCode);

        Assert.Equal(["idle"], (await daemon.DockerAsync("network", "ls", "--filter", "dangling=true", "--format", "{{.Name}}")).AssertSuccess().Lines);
        Assert.Equal(["busy", "idle"], (await daemon.DockerAsync("network", "ls", "--filter", "type=custom", "--format", "{{.Name}}")).AssertSuccess().Lines.Order().ToArray());
        var pruned = (await daemon.DockerAsync("network", "prune", "-f")).AssertSuccess().Stdout;
        Assert.Contains("idle", pruned);
        Assert.DoesNotContain("busy", pruned);
        Assert.NotEqual(0, (await daemon.Namespace.RunAsync("ip", "link", "show", bridgeName)).ExitCode);

        (await daemon.DockerAsync("rm", "-f", "user")).AssertSuccess();
        (await daemon.DockerAsync("network", "rm", "busy")).AssertSuccess();
        var links = (await daemon.Namespace.RunAsync("ip", "-o", "link")).AssertSuccess().Stdout;
        Assert.DoesNotContain("br-", links);
        Assert.DoesNotContain("veth", links);
        Assert.DoesNotContain("172.18.", (await daemon.Namespace.RunAsync("nft", "list", "ruleset")).AssertSuccess().Stdout);
    }

    [Fact]
    public async Task Connect_and_disconnect_change_a_running_containers_networks()
    {
        (await daemon.DockerAsync("network", "create", "--subnet", "10.40.0.0/24", "extra")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "mover", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "watcher", "--network", "extra", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("network", "connect", "--alias", "moved", "--ip", "10.40.0.40", "extra", "mover")).AssertSuccess();
        Assert.Contains("10.40.0.40", (await daemon.DockerAsync("exec", "mover", "ip", "-4", "addr", "show", "eth1")).AssertSuccess().Stdout);
        Assert.Equal("10.40.0.40", (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.extra.IPAddress}}", "mover")).AssertSuccess().Stdout.Trim());
        Assert.Contains("Address: 10.40.0.40", (await daemon.DockerAsync("exec", "watcher", "nslookup", "moved")).AssertSuccess().Stdout);
        Assert.Contains("mover", await Format("{{range .Containers}}{{.Name}} {{end}}", "extra"));
        await AssertRefused("already exists in network extra", "network", "connect", "extra", "mover");

        (await daemon.DockerAsync("network", "disconnect", "extra", "mover")).AssertSuccess();
        Assert.NotEqual(0, (await daemon.DockerAsync("exec", "mover", "ip", "link", "show", "eth1")).ExitCode);
        Assert.DoesNotContain("mover", await Format("{{range .Containers}}{{.Name}} {{end}}", "extra"));
        await AssertRefused("is not connected to network extra", "network", "disconnect", "extra", "mover");

        // A stopped container joins at its next start.
        (await daemon.DockerAsync("create", "--name", "later", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("network", "connect", "extra", "later")).AssertSuccess();
        (await daemon.DockerAsync("start", "later")).AssertSuccess();
        Assert.Equal(["eth0", "eth1"], (await daemon.DockerAsync("exec", "later", "sh", "-c", "ls /sys/class/net | grep eth")).AssertSuccess().Lines);
    }

    [Fact]
    public async Task A_bridge_left_by_an_interrupted_create_is_removed_and_networks_survive_a_restart()
    {
        (await daemon.DockerAsync("network", "create", "--subnet", "10.70.0.0/24", "kept")).AssertSuccess();
        var keptBridge = "br-" + (await Format("{{.Id}}", "kept"))[..12];
        // What a kill -9 between making a network's bridge and writing its record leaves behind.
        (await daemon.Namespace.RunAsync("ip", "link", "add", "br-0123456789ab", "type", "bridge")).AssertSuccess();
        await daemon.KillAsync();
        await daemon.StartProcessAsync();
        Assert.NotEqual(0, (await daemon.Namespace.RunAsync("ip", "link", "show", "br-0123456789ab")).ExitCode);
        Assert.Equal(0, (await daemon.Namespace.RunAsync("ip", "link", "show", keptBridge)).ExitCode);
        Assert.Equal("10.70.0.0/24", await Format("{{range .IPAM.Config}}{{.Subnet}}{{end}}", "kept"));
        (await daemon.DockerAsync("run", "--rm", "--network", "kept", "busybox", "true")).AssertSuccess();
    }
}
