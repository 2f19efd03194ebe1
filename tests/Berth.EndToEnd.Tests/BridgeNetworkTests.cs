using Berth.EndToEnd.Tests.Harness;

namespace Berth.EndToEnd.Tests;

/// <summary>Bridge networks through the docker CLI: addresses, traffic between containers, the embedded DNS and isolation between networks.</summary>
public sealed class BridgeNetworkTests : IAsyncLifetime
{
    private BerthDaemon daemon = null!;

    public async Task InitializeAsync() => daemon = await BerthDaemon.StartWithBusyboxAsync();

    public async Task DisposeAsync() => await daemon.DisposeAsync();

    private async Task<string> Inspect(string format, string container) =>
        (await daemon.DockerAsync("inspect", "-f", format, container)).AssertSuccess().Stdout.Trim();

    [Fact]
    public async Task Default_bridge_hands_out_addresses_in_order_and_containers_reach_each_other()
    {
        Assert.Equal(["bridge bridge local", "host host local", "none null local"],
            (await daemon.DockerAsync("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}")).AssertSuccess().Lines.Order().ToArray());
        // As dockerd: the default bridge's inspect shows no gateway; the bridge has it.
        Assert.Equal("172.17.0.0/16", (await daemon.DockerAsync("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", "bridge")).AssertSuccess().Stdout.Trim());

        (await daemon.DockerAsync("run", "-d", "--name", "first", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "second", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Equal("172.17.0.2 16 172.17.0.1 02:42:ac:11:00:02 bridge", await Inspect("{{.NetworkSettings.IPAddress}} {{.NetworkSettings.IPPrefixLen}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.MacAddress}} {{.HostConfig.NetworkMode}}", "first"));
        Assert.Equal("172.17.0.3", await Inspect("{{.NetworkSettings.Networks.bridge.IPAddress}}", "second"));

        var inside = (await daemon.DockerAsync("exec", "second", "sh", "-c", "ip -4 addr show eth0 | grep inet; ip route | grep default; ping -c 1 -W 2 172.17.0.2 >/dev/null && echo reached; tail -1 /etc/hosts; hostname")).AssertSuccess();
        var id = (await Inspect("{{.Id}}", "second"))[..12];
        Assert.Equal(["inet 172.17.0.3/16 brd 172.17.255.255 scope global eth0", "default via 172.17.0.1 dev eth0", "reached", $"172.17.0.3\t{id}", id],
            inside.Lines.Select(l => l.Trim()).ToArray());
        // The host reaches its containers through the bridge; the bridge has the gateway address.
        (await daemon.Namespace.RunAsync("busybox", "ping", "-c", "1", "-W", "2", "172.17.0.2")).AssertSuccess();
        Assert.Contains("inet 172.17.0.1/16", (await daemon.Namespace.RunAsync("ip", "-4", "addr", "show", "berth0")).AssertSuccess().Stdout);

        // The default bridge has no embedded DNS: resolv.conf does not point at it.
        Assert.DoesNotContain("127.0.0.11", (await daemon.DockerAsync("exec", "first", "cat", "/etc/resolv.conf")).AssertSuccess().Stdout);

        // Addresses are released when a container stops and may be reused.
        (await daemon.DockerAsync("rm", "-f", "first")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "third", "busybox", "sleep", "1000")).AssertSuccess();
        Assert.Equal("172.17.0.2", await Inspect("{{.NetworkSettings.IPAddress}}", "third"));
        (await daemon.DockerAsync("stop", "-t", "0", "third")).AssertSuccess();
        Assert.Equal("|", await Inspect("{{.NetworkSettings.IPAddress}}|{{.NetworkSettings.Networks.bridge.IPAddress}}", "third"));
    }

    [Fact]
    public async Task User_defined_networks_resolve_names_aliases_and_addresses_and_are_isolated_from_each_other()
    {
        (await daemon.DockerAsync("network", "create", "front")).AssertSuccess();
        (await daemon.DockerAsync("network", "create", "back")).AssertSuccess();
        Assert.Equal("172.18.0.0/16", (await daemon.DockerAsync("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "front")).AssertSuccess().Stdout.Trim());
        Assert.Equal("172.19.0.0/16", (await daemon.DockerAsync("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "back")).AssertSuccess().Stdout.Trim());

        (await daemon.DockerAsync("run", "-d", "--name", "web1", "--network", "front", "--network-alias", "web", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "web2", "--network", "front", "--net-alias", "web", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "other", "--network", "back", "busybox", "sleep", "1000")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "plain", "busybox", "sleep", "1000")).AssertSuccess();
        var web1 = await Inspect("{{.NetworkSettings.Networks.front.IPAddress}}", "web1");
        var web2 = await Inspect("{{.NetworkSettings.Networks.front.IPAddress}}", "web2");
        Assert.Equal("172.18.0.2", web1);
        Assert.Equal("172.18.0.3", web2);

        var client = (await daemon.DockerAsync("run", "--rm", "--network", "front", "busybox", "sh", "-c",
            "cat /etc/resolv.conf; nslookup web1; nslookup web; nslookup " + web2 + "; ping -c 1 -W 2 web2 >/dev/null && echo pinged")).AssertSuccess().Stdout;
        Assert.Contains("nameserver 127.0.0.11", client);
        Assert.Contains($"Name:\tweb1\nAddress: {web1}", client);
        Assert.Contains($"Name:\tweb\nAddress: {web1}", client);
        Assert.Contains($"Name:\tweb\nAddress: {web2}", client);
        Assert.Contains("name = web2.front", client);
        Assert.Contains("pinged", client);

        // Several containers behind one alias: the order changes between answers (round robin).
        var orders = new HashSet<string>();
        var answers = (await daemon.DockerAsync("exec", "web1", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do nslookup -type=a web | grep Address: | tail -2 | tr -d '\\n'; echo; done")).AssertSuccess();
        foreach (var line in answers.Lines) orders.Add(line);
        Assert.True(orders.Count > 1, "the alias's addresses came back in one order only: " + answers.Stdout);

        // Isolation: nothing crosses from one bridge network to another, nor from the default bridge.
        Assert.NotEqual(0, (await daemon.DockerAsync("exec", "other", "ping", "-c", "1", "-W", "1", web1)).ExitCode);
        Assert.NotEqual(0, (await daemon.DockerAsync("exec", "plain", "ping", "-c", "1", "-W", "1", web1)).ExitCode);
        // Names of other networks are not known there.
        Assert.DoesNotContain(web1, (await daemon.DockerAsync("exec", "other", "nslookup", "web1")).Stdout);

        // network inspect lists the running containers.
        var containers = (await daemon.DockerAsync("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}} {{.MacAddress}};{{end}}", "front")).AssertSuccess().Stdout;
        Assert.Contains($"web1 {web1}/16 02:42:ac:12:00:02;", containers);
        Assert.Contains($"web2 {web2}/16 02:42:ac:12:00:03;", containers);
    }

    [Fact]
    public async Task The_embedded_dns_answers_servfail_quickly_when_no_upstream_answers()
    {
        (await daemon.DockerAsync("network", "create", "lonely")).AssertSuccess();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // --dns points the embedded server at an address in the test's own namespace where nothing listens.
        var result = await daemon.DockerAsync("run", "--rm", "--network", "lonely", "--dns", "127.0.0.1", "busybox", "nslookup", "nosuchname.example");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("SERVFAIL", result.Stdout + result.Stderr);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 20);
    }

    [Fact]
    public async Task Internal_networks_have_no_way_out_but_their_containers_reach_each_other()
    {
        (await daemon.DockerAsync("network", "create", "--internal", "--subnet", "10.77.0.0/24", "sealed")).AssertSuccess();
        Assert.Equal("true", (await daemon.DockerAsync("network", "inspect", "-f", "{{.Internal}}", "sealed")).AssertSuccess().Stdout.Trim());
        (await daemon.DockerAsync("run", "-d", "--name", "inner1", "--network", "sealed", "busybox", "sleep", "1000")).AssertSuccess();
        var routes = (await daemon.DockerAsync("run", "--rm", "--network", "sealed", "busybox", "sh", "-c", "ip route; ping -c 1 -W 2 inner1 >/dev/null && echo reached")).AssertSuccess().Stdout;
        Assert.DoesNotContain("default", routes);
        Assert.Contains("reached", routes);
        // The host itself (the gateway address) is not reachable from inside.
        Assert.NotEqual(0, (await daemon.DockerAsync("exec", "inner1", "ping", "-c", "1", "-W", "1", "172.17.0.1")).ExitCode);
    }
}
