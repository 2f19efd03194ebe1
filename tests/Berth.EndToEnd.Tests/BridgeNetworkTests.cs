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
        Assert.Equal("172.17.0.2 16 172.17.0.1 02:42:ac:11:00:02 default", await Inspect("{{.NetworkSettings.IPAddress}} {{.NetworkSettings.IPPrefixLen}} {{.NetworkSettings.Gateway}} {{.NetworkSettings.MacAddress}} {{.HostConfig.NetworkMode}}", "first"));
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

    [Fact]
    public async Task Dns_options_extra_hosts_and_domain_names_shape_the_containers_files()
    {
        var plain = (await daemon.DockerAsync("run", "--rm", "--dns", "10.1.1.1", "--dns-search", "example.com", "--dns-option", "ndots:2",
            "--add-host", "db.local:10.2.2.2", "--hostname", "h1", "--domainname", "corp.example", "busybox", "sh", "-c", "cat /etc/resolv.conf; tail -2 /etc/hosts; hostname; dnsdomainname")).AssertSuccess().Lines;
        Assert.Equal(["search example.com", "nameserver 10.1.1.1", "options ndots:2", "10.2.2.2\tdb.local", "172.17.0.2\th1.corp.example h1", "h1", "corp.example"], plain);

        // On a user-defined network the embedded DNS is the name server; --dns becomes its upstream and ndots:0 is added unless chosen.
        (await daemon.DockerAsync("network", "create", "named")).AssertSuccess();
        var user = (await daemon.DockerAsync("run", "--rm", "--network", "named", "--dns", "10.1.1.1", "--dns-search", "example.com", "--dns-option", "timeout:2",
            "busybox", "cat", "/etc/resolv.conf")).AssertSuccess().Lines;
        Assert.Equal(["search example.com", "nameserver 127.0.0.11", "options timeout:2 ndots:0"], user);
    }

    [Fact]
    public async Task Icc_off_keeps_containers_of_a_network_apart_and_links_on_user_networks_are_names()
    {
        (await daemon.DockerAsync("network", "create", "-o", "com.docker.network.bridge.enable_icc=false", "apart")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "lone1", "--network", "apart", "busybox", "sleep", "1000")).AssertSuccess();
        var address = (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.apart.IPAddress}}", "lone1")).AssertSuccess().Stdout.Trim();
        Assert.NotEqual(0, (await daemon.DockerAsync("run", "--rm", "--network", "apart", "busybox", "ping", "-c", "1", "-W", "1", address)).ExitCode);

        (await daemon.DockerAsync("network", "create", "linked")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "target1", "--network", "linked", "busybox", "sleep", "1000")).AssertSuccess();
        var target = (await daemon.DockerAsync("inspect", "-f", "{{.NetworkSettings.Networks.linked.IPAddress}}", "target1")).AssertSuccess().Stdout.Trim();
        var lookup = (await daemon.DockerAsync("run", "--rm", "--network", "linked", "--link", "target1:db", "busybox", "nslookup", "db")).AssertSuccess().Stdout;
        Assert.Contains("Address: " + target, lookup);
        // Only the linking container knows the alias.
        Assert.DoesNotContain("Address: " + target, (await daemon.DockerAsync("exec", "target1", "nslookup", "db")).Stdout);
    }

    [Fact]
    public async Task Outbound_traffic_is_masqueraded_behind_the_hosts_address()
    {
        // An "outside" namespace behind a veth pair: it has no route back to the containers' subnet, so a reply comes only to a masqueraded packet.
        await using var outside = await NetworkNamespace.CreateAsync();
        var uplink = "up" + outside.Name[^6..];
        (await daemon.Namespace.RunAsync("ip", "link", "add", uplink, "type", "veth", "peer", "name", "wan0", "netns", outside.Path)).AssertSuccess();
        (await daemon.Namespace.RunAsync("ip", "addr", "add", "10.99.0.1/24", "dev", uplink)).AssertSuccess();
        (await daemon.Namespace.RunAsync("ip", "link", "set", uplink, "up")).AssertSuccess();
        (await outside.RunAsync("ip", "addr", "add", "10.99.0.2/24", "dev", "wan0")).AssertSuccess();
        (await outside.RunAsync("ip", "link", "set", "wan0", "up")).AssertSuccess();
        (await outside.RunAsync("ip", "link", "set", "lo", "up")).AssertSuccess();

        (await daemon.DockerAsync("run", "--rm", "busybox", "ping", "-c", "1", "-W", "2", "10.99.0.2")).AssertSuccess();
        (await daemon.DockerAsync("network", "create", "-o", "com.docker.network.bridge.enable_ip_masquerade=false", "unmasked")).AssertSuccess();
        Assert.NotEqual(0, (await daemon.DockerAsync("run", "--rm", "--network", "unmasked", "busybox", "ping", "-c", "1", "-W", "1", "10.99.0.2")).ExitCode);
    }

    [Fact]
    public async Task A_container_may_serve_port_53_itself_beside_the_embedded_dns()
    {
        (await daemon.DockerAsync("network", "create", "ownport")).AssertSuccess();
        (await daemon.DockerAsync("run", "-d", "--name", "named1", "--network", "ownport", "busybox", "sleep", "1000")).AssertSuccess();
        var output = (await daemon.DockerAsync("run", "--rm", "--network", "ownport", "busybox", "sh", "-c",
            "nc -l -p 53 & sleep 0.3; netstat -ltn | grep -c ':53 '; nslookup named1 | grep -c 'Name:'")).AssertSuccess().Lines;
        Assert.Equal(["1", "1"], output);
    }
}
