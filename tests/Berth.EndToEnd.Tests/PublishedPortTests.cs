using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary><c>-p</c> and <c>-P</c>: published ports reachable over TCP and UDP from the host's loopback, its addresses and other containers; conflicts; nothing left after removal.</summary>
public sealed class PublishedPortTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private Task<CommandResult> Fetch(string url) => daemon.Namespace.RunAsync("curl", "-s", "-m", "5", url);

    [Fact]
    public async Task A_published_tcp_port_answers_on_loopback_the_hosts_addresses_and_to_other_containers()
    {
        (await daemon.DockerAsync("run", "-d", "--name", "web", "--hostname", "webhost", "-p", "8080:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc")).AssertSuccess();
        await Poll.UntilAsync(async () => (await Fetch("http://127.0.0.1:8080/hostname")).Stdout == "webhost\n", "the published port to answer on 127.0.0.1");
        Assert.Equal("webhost\n", (await Fetch("http://172.17.0.1:8080/hostname")).AssertSuccess().Stdout);
        // Another container reaches it through the host's address, on the same bridge and from a user-defined one.
        Assert.Equal("webhost\n", (await daemon.DockerAsync("run", "--rm", "busybox", "wget", "-q", "-O", "-", "http://172.17.0.1:8080/hostname")).AssertSuccess().Stdout);
        (await daemon.DockerAsync("network", "create", "elsewhere")).AssertSuccess();
        Assert.Equal("webhost\n", (await daemon.DockerAsync("run", "--rm", "--network", "elsewhere", "busybox", "wget", "-q", "-O", "-", "http://172.17.0.1:8080/hostname")).AssertSuccess().Stdout);

        Assert.Equal("0.0.0.0:8080", (await daemon.DockerAsync("port", "web", "80")).AssertSuccess().Stdout.Trim());
        Assert.Equal("0.0.0.0:8080->80/tcp", (await daemon.DockerAsync("ps", "--filter", "name=web", "--format", "{{.Ports}}")).AssertSuccess().Stdout.Trim());
        Assert.Equal("[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]", (await daemon.DockerAsync("inspect", "-f", "{{json (index .NetworkSettings.Ports \"80/tcp\")}}", "web")).AssertSuccess().Stdout.Trim());

        // A host port a container holds is refused to the next one, with dockerd's message.
        var taken = await daemon.DockerAsync("run", "-d", "--name", "web2", "-p", "8080:80", "busybox", "sleep", "1000");
        Assert.Equal(125, taken.ExitCode);
        Assert.Contains("Bind for 0.0.0.0:8080 failed: port is already allocated", taken.Stderr);
        Assert.Equal("", (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "web2")).AssertSuccess().Stdout.Trim());

        // After removal nothing of the mapping remains, and the port is free again.
        (await daemon.DockerAsync("rm", "-f", "web", "web2")).AssertSuccess();
        var rules = (await daemon.Namespace.RunAsync("nft", "list", "ruleset")).AssertSuccess().Stdout;
        Assert.DoesNotContain("8080", rules);
        Assert.DoesNotContain("veth", (await daemon.Namespace.RunAsync("ip", "link")).AssertSuccess().Stdout);
        (await daemon.DockerAsync("run", "-d", "--name", "web3", "-p", "8080:80", "busybox", "sleep", "1000")).AssertSuccess();
    }

    [Fact]
    public async Task Udp_ports_ephemeral_ports_and_address_bound_ports_are_published()
    {
        // busybox has no UDP server: one runs in the container's network namespace, behind its published port.
        (await daemon.DockerAsync("run", "-d", "--name", "udp", "-p", "5353:53/udp", "busybox", "sleep", "1000")).AssertSuccess();
        var pid = (await daemon.DockerAsync("inspect", "-f", "{{.State.Pid}}", "udp")).AssertSuccess().Stdout.Trim();
        const string Server = "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', 53)); print(s.recvfrom(100)[0].decode())";
        const string Client = "import socket, time\nfor i in range(20):\n    socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'over-udp', ('127.0.0.1', 5353)); time.sleep(0.25)";
        var exchange = (await daemon.Namespace.RunAsync("sh", "-c",
            $"nsenter --net=/proc/{pid}/ns/net timeout 10 python3 -c \"{Server}\" & server=$!; sleep 0.3; timeout 6 python3 -c \"{Client}\" >/dev/null & wait $server")).AssertSuccess();
        Assert.Equal("over-udp\n", exchange.Stdout);

        // -P publishes every exposed port on an ephemeral host port; --expose adds one.
        (await daemon.DockerAsync("run", "-d", "--name", "all", "-P", "--expose", "80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc")).AssertSuccess();
        var mapped = (await daemon.DockerAsync("port", "all", "80/tcp")).AssertSuccess().Stdout.Trim();
        Assert.StartsWith("0.0.0.0:", mapped);
        var port = mapped.Split(':')[1];
        await Poll.UntilAsync(async () => (await Fetch($"http://127.0.0.1:{port}/hostname")).ExitCode == 0, "the ephemeral port to answer");

        // A binding to one host address answers there only.
        (await daemon.DockerAsync("run", "-d", "--name", "local", "-p", "127.0.0.1:9090:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc")).AssertSuccess();
        await Poll.UntilAsync(async () => (await Fetch("http://127.0.0.1:9090/hostname")).ExitCode == 0, "the loopback-bound port to answer");
        Assert.NotEqual(0, (await Fetch("http://172.17.0.1:9090/hostname")).ExitCode);
    }

    [Fact]
    public async Task Published_ports_and_names_survive_a_daemon_restart_with_live_containers()
    {
        (await daemon.DockerAsync("network", "create", "lasting")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "svc", "--network", "lasting", "--network-alias", "api", "-p", "8081:80", "busybox", "httpd", "-f", "-p", "80", "-h", "/etc")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "peer", "--network", "lasting", "busybox", "sleep", "1000")).AssertSuccess();
        var address = (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.lasting.IPAddress}}", "svc")).AssertSuccess().Stdout.Trim();
        await Poll.UntilAsync(async () => (await Fetch("http://127.0.0.1:8081/hostname")).ExitCode == 0, "the port to answer");

        await daemon.KillAsync();
        await daemon.StartProcessAsync();

        Assert.Equal(address, (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.lasting.IPAddress}}", "svc")).AssertSuccess().Stdout.Trim());
        Assert.Equal(0, (await Fetch("http://127.0.0.1:8081/hostname")).ExitCode);
        var lookup = (await daemon.DockerAsync("exec", "peer", "nslookup", "api")).AssertSuccess().Stdout;
        Assert.Contains("Address: " + address, lookup);
        // The next container gets a new address, not one still held.
        (await daemon.DockerAsync("run", "-d", "--name", "later", "--network", "lasting", "busybox", "sleep", "1000")).AssertSuccess();
        var later = (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.lasting.IPAddress}}", "later")).AssertSuccess().Stdout.Trim();
        Assert.NotEqual(address, later);
        // The port is still held: another container cannot take it.
        Assert.Contains("port is already allocated", (await daemon.DockerAsync("run", "-d", "-p", "8081:80", "busybox", "true")).Stderr);
    }
}
