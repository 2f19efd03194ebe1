using System.Net;
using Berth.Network.Nft;

namespace Berth.Network.Tests.Nft;

public sealed class RulesetWriterTests
{
    private const string Replace = "table ip berth {}\ndelete table ip berth\n";

    [Fact]
    public void A_state_becomes_the_whole_table_replacing_any_old_one()
    {
        Assert.Equal(Replace + """
            table ip berth {
            	chain prerouting {
            		type nat hook prerouting priority dstnat; policy accept;
            		fib daddr type local jump ports
            	}

            	chain output {
            		type nat hook output priority -100; policy accept;
            		fib daddr type local jump ports
            	}

            	chain ports {
            		tcp dport 8080 dnat to 172.17.0.2:80 comment "bridge"
            		ip daddr 127.0.0.1 udp dport 5353 dnat to 172.17.0.3:53 comment "bridge"
            	}

            	chain postrouting {
            		type nat hook postrouting priority srcnat; policy accept;
            		ip saddr 172.17.0.0/16 oifname != "berth0" masquerade comment "bridge"
            		ip saddr 127.0.0.0/8 oifname "berth0" masquerade comment "bridge"
            		ip saddr 172.17.0.0/16 oifname "berth0" ct status dnat masquerade comment "bridge"
            		ip saddr 127.0.0.0/8 oifname "br-1a2b3c4d5e6f" masquerade comment "backend"
            		ip saddr 172.18.0.0/16 oifname "br-1a2b3c4d5e6f" ct status dnat masquerade comment "backend"
            	}

            	chain forward {
            		type filter hook forward priority filter; policy accept;
            		iifname "berth0" oifname "berth0" accept comment "bridge"
            		iifname "br-1a2b3c4d5e6f" oifname "br-1a2b3c4d5e6f" drop comment "backend"
            		iifname "br-1a2b3c4d5e6f" drop comment "backend"
            		oifname "br-1a2b3c4d5e6f" drop comment "backend"
            		oifname "berth0" ct state invalid drop comment "bridge"
            		oifname "berth0" ct state established,related accept comment "bridge"
            		oifname "berth0" ct status dnat accept comment "bridge"
            		oifname "berth0" drop comment "bridge"
            		iifname "berth0" ct state invalid drop comment "bridge"
            		iifname "berth0" oifname != "berth0" accept comment "bridge"
            	}
            }

            """, RulesetWriter.Write(SampleStates.TwoNetworks));
    }

    [Fact]
    public void A_state_without_networks_only_removes_the_table() =>
        Assert.Equal(Replace, RulesetWriter.Write(FirewallState.Empty));

    [Fact]
    public void The_order_of_networks_and_ports_in_the_state_does_not_change_the_script()
    {
        var state = SampleStates.TwoNetworks;
        var reversed = new FirewallState(state.Networks.Reverse().ToList(), state.Ports.Reverse().ToList());
        Assert.Equal(RulesetWriter.Write(state), RulesetWriter.Write(reversed));
    }

    [Fact]
    public void A_port_published_on_one_host_address_comes_before_the_same_port_on_all_addresses()
    {
        var state = new FirewallState(
            [new FirewallNetwork("bridge", "berth0", "172.17.0.0/16")],
            [
                Port(IPAddress.Any, 80, "172.17.0.2"),
                Port(IPAddress.Parse("10.0.0.5"), 80, "172.17.0.3"),
                Port(IPAddress.Any, 443, "172.17.0.2"),
            ]);
        Assert.Equal(
            [
                "ip daddr 10.0.0.5 tcp dport 80 dnat to 172.17.0.3:80 comment \"bridge\"",
                "tcp dport 80 dnat to 172.17.0.2:80 comment \"bridge\"",
                "tcp dport 443 dnat to 172.17.0.2:443 comment \"bridge\"",
            ],
            ChainRules(RulesetWriter.Write(state), "ports"));
    }

    [Fact]
    public void Ports_on_internal_networks_are_not_published()
    {
        var state = new FirewallState(
            [new FirewallNetwork("secret", "br-secret", "10.5.0.0/24", Internal: true)],
            [Port(IPAddress.Any, 80, "10.5.0.2", "br-secret")]);
        Assert.Empty(ChainRules(RulesetWriter.Write(state), "ports"));
    }

    [Fact]
    public void Without_masquerade_a_network_keeps_its_addresses_on_the_way_out()
    {
        var state = new FirewallState([new FirewallNetwork("routed", "br-routed", "10.6.0.0/24", Masquerade: false)], []);
        Assert.DoesNotContain(ChainRules(RulesetWriter.Write(state), "postrouting"), rule => rule.Contains("oifname != ", StringComparison.Ordinal));
    }

    [Fact]
    public void Comments_keep_only_printable_characters_without_quotes()
    {
        var state = new FirewallState([new FirewallNetwork("a\"b\\c\td€", "br-x", "10.7.0.0/24")], []);
        Assert.Contains("comment \"a_b_c_d_\"", RulesetWriter.Write(state), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("br-*", "10.0.0.0/24")]
    [InlineData("br\"x", "10.0.0.0/24")]
    [InlineData("a-name-far-too-long", "10.0.0.0/24")]
    [InlineData("", "10.0.0.0/24")]
    [InlineData("br-x", "10.0.0.1/24")]
    [InlineData("br-x", "fd00::/64")]
    [InlineData("br-x", "not a subnet")]
    public void Networks_that_would_make_a_wrong_script_are_refused(string bridge, string subnet) =>
        Assert.Throws<ArgumentException>(() => RulesetWriter.Write(new FirewallState([new FirewallNetwork("n", bridge, subnet)], [])));

    [Fact]
    public void Ports_that_would_make_a_wrong_script_are_refused()
    {
        FirewallNetwork[] networks = [new FirewallNetwork("bridge", "berth0", "172.17.0.0/16")];
        PublishedPort[] refused =
        [
            Port(IPAddress.Any, 80, "172.17.0.2", "br-unknown"),
            Port(IPAddress.IPv6Any, 80, "172.17.0.2"),
            Port(IPAddress.Any, 80, "fd00::2"),
            Port(IPAddress.Any, 0, "172.17.0.2"),
            Port(IPAddress.Any, 65536, "172.17.0.2"),
        ];
        foreach (var port in refused)
            Assert.Throws<ArgumentException>(() => RulesetWriter.Write(new FirewallState(networks, [port])));
    }

    [Fact]
    public void Two_networks_on_one_bridge_are_refused() =>
        Assert.Throws<ArgumentException>(() => RulesetWriter.Write(new FirewallState(
            [new FirewallNetwork("a", "br-x", "10.0.0.0/24"), new FirewallNetwork("b", "br-x", "10.0.1.0/24")], [])));

    private static PublishedPort Port(IPAddress hostIp, int port, string containerIp, string bridge = "berth0") =>
        new(PortProtocol.Tcp, hostIp, port, IPAddress.Parse(containerIp), port is > 0 and < 65536 ? port : 80, bridge);

    /// <summary>The rules of one chain, without its base-chain line.</summary>
    internal static List<string> ChainRules(string script, string chain) =>
        script.Split('\n')
            .SkipWhile(line => line != $"\tchain {chain} {{")
            .Skip(1)
            .TakeWhile(line => line != "\t}")
            .Select(line => line.Trim())
            .Where(line => !line.StartsWith("type ", StringComparison.Ordinal))
            .ToList();
}
