using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>host, none, container:NAME, macvlan and legacy links through the docker CLI.</summary>
public sealed class NetworkModeTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    [Fact]
    public async Task Container_mode_shares_another_containers_address_and_mac_and_refuses_conflicting_options()
    {
        (await daemon.DockerAsync("run", "-d", "--name", "owner", "busybox", "sleep", "1000")).AssertSuccess();
        var owner = (await daemon.DockerAsync("exec", "owner", "sh", "-c", "ip -4 addr show eth0 | grep inet; cat /sys/class/net/eth0/address")).AssertSuccess().Stdout;
        var guest = (await daemon.DockerAsync("run", "--rm", "--network", "container:owner", "busybox", "sh", "-c", "ip -4 addr show eth0 | grep inet; cat /sys/class/net/eth0/address")).AssertSuccess().Stdout;
        Assert.Equal(owner, guest);
        var vethsBefore = (await daemon.Namespace.RunAsync("ip", "-o", "link")).AssertSuccess().Lines.Count(l => l.Contains("veth"));
        Assert.Equal(1, vethsBefore);

        var conflict = await daemon.DockerAsync("run", "--network", "container:owner", "--hostname", "h", "busybox", "true");
        Assert.Contains("conflicting options: hostname and the network mode", conflict.Stderr);
        conflict = await daemon.DockerAsync("run", "--network", "container:owner", "-p", "80:80", "busybox", "true");
        Assert.Contains("conflicting options: port publishing and the container type network mode", conflict.Stderr);
        Assert.Contains("No such container: nosuch", (await daemon.DockerAsync("run", "--network", "container:nosuch", "busybox", "true")).Stderr);
    }

    [Fact]
    public async Task Host_mode_ignores_published_ports_with_a_warning()
    {
        var result = (await daemon.DockerAsync("run", "--rm", "--network", "host", "-p", "80:80", "busybox", "sh", "-c", "ls /sys/class/net | grep berth0")).AssertSuccess();
        Assert.Contains("Published ports are discarded when using host network mode", result.Stderr);
        Assert.Equal("berth0\n", result.Stdout);
    }

    [Fact]
    public async Task Links_on_the_default_bridge_write_the_peer_into_hosts_and_its_variables_into_the_environment()
    {
        (await daemon.DockerAsync("run", "-d", "--name", "db", "-e", "SECRET=s3", "--expose", "5432", "busybox", "sleep", "1000")).AssertSuccess();
        var address = (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "db")).AssertSuccess().Stdout.Trim();
        var id = (await daemon.DockerAsync("inspect", "-f", "{{.Id}}", "db")).AssertSuccess().Stdout.Trim()[..12];
        var output = (await daemon.DockerAsync("run", "--rm", "--name", "app", "--link", "db:database", "busybox", "sh", "-c",
            "grep database /etc/hosts; echo $DATABASE_NAME $DATABASE_PORT $DATABASE_PORT_5432_TCP_ADDR $DATABASE_ENV_SECRET; ping -c 1 -W 2 database >/dev/null && echo reached")).AssertSuccess().Lines;
        Assert.Equal([$"{address}\tdatabase {id} db", $"/app/database tcp://{address}:5432 {address} s3", "reached"], output);
        Assert.Contains("could not get container for nosuch: No such container: nosuch", (await daemon.DockerAsync("run", "--link", "nosuch:x", "busybox", "true")).Stderr);
    }

    [Fact]
    public async Task Macvlan_containers_get_their_own_mac_and_address_on_the_parent_and_cannot_reach_the_host()
    {
        (await daemon.Namespace.RunAsync("ip", "link", "add", "mvparent", "type", "veth", "peer", "name", "mvpeer")).AssertSuccess();
        (await daemon.Namespace.RunAsync("ip", "link", "set", "mvparent", "up")).AssertSuccess();
        (await daemon.Namespace.RunAsync("ip", "link", "set", "mvpeer", "up")).AssertSuccess();
        (await daemon.Namespace.RunAsync("ip", "addr", "add", "10.60.0.1/24", "dev", "mvparent")).AssertSuccess();
        (await daemon.DockerAsync("network", "create", "-d", "macvlan", "-o", "parent=mvparent", "--subnet", "10.60.0.0/24", "--gateway", "10.60.0.1", "lan")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "mv1", "--network", "lan", "busybox", "sleep", "1000")).AssertSuccess();
        var inside = (await daemon.DockerAsync("run", "--rm", "--network", "lan", "busybox", "sh", "-c",
            "ip -4 addr show eth0 | grep -o '10.60.0.[0-9]*/24'; ping -c 1 -W 2 10.60.0.2 >/dev/null && echo peer; ping -c 1 -W 1 10.60.0.1 >/dev/null || echo no-host")).AssertSuccess().Lines;
        Assert.Equal(["10.60.0.3/24", "peer", "no-host"], inside);
        Assert.Equal("02:42:0a:3c:00:02", (await daemon.DockerAsync("exec", "mv1", "cat", "/sys/class/net/eth0/address")).AssertSuccess().Stdout.Trim());

        Assert.Contains("invalid subinterface vlan name nosuch0, example formatting is eth0.10",
            (await daemon.DockerAsync("network", "create", "-d", "macvlan", "-o", "parent=nosuch0", "bad")).Stderr);
        Assert.Contains("failed to create mvparent.10 vlan link: operation not supported",
            (await daemon.DockerAsync("network", "create", "-d", "macvlan", "-o", "parent=mvparent.10", "--subnet", "10.61.0.0/24", "vlan")).Stderr);
    }

    [Fact]
    public async Task The_default_bridge_follows_the_daemons_bridge_bip_and_fixed_cidr()
    {
        await using var configured = await BerthDaemon.StartWithBusyboxAsync("{\"bridge\": \"lab0\", \"bip\": \"10.201.0.1/24\", \"fixed-cidr\": \"10.201.0.128/25\", \"mtu\": 1400}");
        Assert.Contains("inet 10.201.0.1/24", (await configured.Namespace.RunAsync("ip", "-4", "addr", "show", "lab0")).AssertSuccess().Stdout);
        Assert.Equal("10.201.0.0/24 lab0", (await configured.DockerAsync("network", "inspect", "-f",
            "{{range .IPAM.Config}}{{.Subnet}}{{end}} {{index .Options \"com.docker.network.bridge.name\"}}", "bridge")).AssertSuccess().Stdout.Trim());
        var inside = (await configured.DockerAsync("run", "--rm", "busybox", "sh", "-c", "ip -4 addr show eth0 | grep -o 'inet [0-9./]*'; cat /sys/class/net/eth0/mtu; ip route | grep default")).AssertSuccess().Lines;
        Assert.Equal(["inet 10.201.0.129/24", "1400", "default via 10.201.0.1 dev eth0 "], inside);
    }

    [Fact]
    public async Task A_chosen_mac_address_and_a_host_port_range_hold_across_restarts_of_the_container()
    {
        (await daemon.DockerAsync("run", "-d", "--name", "macd", "--mac-address", "02:00:00:aa:bb:cc", "-p", "8100-8102:80", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Equal("02:00:00:aa:bb:cc", (await daemon.DockerAsync("exec", "macd", "cat", "/sys/class/net/eth0/address")).AssertSuccess().Stdout.Trim());
        Assert.Equal("0.0.0.0:8100", (await daemon.DockerAsync("port", "macd", "80")).AssertSuccess().Stdout.Trim());
        // The next container of the range takes the next free port.
        (await daemon.DockerAsync("run", "-d", "--name", "macd2", "-p", "8100-8102:80", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Equal("0.0.0.0:8101", (await daemon.DockerAsync("port", "macd2", "80")).AssertSuccess().Stdout.Trim());
        (await daemon.DockerAsync("restart", "-t", "0", "macd")).AssertSuccess();
        Assert.Equal("02:00:00:aa:bb:cc", (await daemon.DockerAsync("exec", "macd", "cat", "/sys/class/net/eth0/address")).AssertSuccess().Stdout.Trim());
        Assert.Equal("02:00:00:aa:bb:cc", (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.MacAddress}}", "macd")).AssertSuccess().Stdout.Trim());
    }
}
