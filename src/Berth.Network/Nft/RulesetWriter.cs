using System.Net;
using System.Text;

namespace Berth.Network.Nft;

/// <summary>
/// Renders the nft script that makes <c>table ip berth</c> match a <see cref="FirewallState"/>.
/// The script declares, deletes and recreates the table, so applied as one transaction it replaces
/// whatever was there (or nothing) in a single step; for a state without networks it only deletes it.
/// </summary>
/// <remarks>
/// The rules follow dockerd's iptables rules (with its userland proxy off):
/// <list type="bullet">
/// <item><c>prerouting</c> and <c>output</c> (NAT): packets to any local address jump to <c>ports</c>,
/// so published ports answer from outside, from the host itself (127.0.0.1 included) and from
/// containers going through the host's address.</item>
/// <item><c>ports</c>: one DNAT per published port. Rules for a given host address come before those
/// for all addresses. Ports on internal networks are not published, as in dockerd.</item>
/// <item><c>postrouting</c>: a network's traffic leaving through another interface is masqueraded
/// (unless internal or masquerade is off); traffic from 127.0.0.0/8 DNATed onto a bridge is
/// masqueraded (berthd sets route_localnet on the bridge so it can be routed at all); traffic from
/// a bridge's subnet DNATed back onto the same bridge is masqueraded so replies return through the
/// host (a container reaching its own port also needs hairpin mode on its bridge port, because
/// br_netfilter bridges such packets back out of the port they came in on). Postrouting has no input
/// interface, so these rules match source addresses, not <c>iifname</c>.</item>
/// <item><c>forward</c> (policy accept: the host's other traffic is none of Berth's business), in
/// sections, each over the bridges in name order: (1) within a bridge, accept, or drop without ICC
/// (br_netfilter sends bridged packets through this hook); (2) internal bridges: anything else in or
/// out is dropped; (3) toward a bridge: conntrack's invalid packets are dropped (NAT never sees
/// them), replies and DNATed connections are accepted, everything else is dropped; (4) out of a
/// bridge: invalid packets are dropped (they would leave with a container's address) and the rest
/// accepted. Sections 2 and 3 come before 4, so another bridge's "out" accept can never let a
/// packet into a bridge: networks are isolated in both directions.</item>
/// </list>
/// </remarks>
public static class RulesetWriter
{
    public const string TableFamily = "ip";
    public const string TableName = "berth";

    private const int CommentMaxLength = 64;

    /// <summary>The script for <paramref name="state"/>; throws <see cref="ArgumentException"/> for an invalid state.</summary>
    public static string Write(FirewallState state)
    {
        FirewallStateValidator.Validate(state);
        var script = new StringBuilder();
        script.Append($"table {TableFamily} {TableName} {{}}\n");
        script.Append($"delete table {TableFamily} {TableName}\n");
        if (state.Networks.Count > 0)
            WriteTable(script, state);
        return script.ToString();
    }

    private static void WriteTable(StringBuilder script, FirewallState state)
    {
        var networks = state.Networks.OrderBy(n => n.BridgeName, StringComparer.Ordinal).ToList();
        var networksByBridge = networks.ToDictionary(n => n.BridgeName, StringComparer.Ordinal);
        var ports = state.Ports.Where(p => !networksByBridge[p.BridgeName].Internal).Order(PublishedPortOrder.Instance);

        script.Append($"table {TableFamily} {TableName} {{\n");
        Chain(script, "prerouting", "type nat hook prerouting priority dstnat; policy accept;",
            ["fib daddr type local jump ports"]);
        script.Append('\n');
        Chain(script, "output", "type nat hook output priority -100; policy accept;",
            ["fib daddr type local jump ports"]);
        script.Append('\n');
        Chain(script, "ports", null, ports.Select(p => PortRule(p, networksByBridge[p.BridgeName])));
        script.Append('\n');
        Chain(script, "postrouting", "type nat hook postrouting priority srcnat; policy accept;",
            networks.SelectMany(PostroutingRules));
        script.Append('\n');
        Chain(script, "forward", "type filter hook forward priority filter; policy accept;", ForwardRules(networks));
        script.Append("}\n");
    }

    private static void Chain(StringBuilder script, string name, string? baseChain, IEnumerable<string> rules)
    {
        script.Append($"\tchain {name} {{\n");
        if (baseChain is not null)
            script.Append($"\t\t{baseChain}\n");
        foreach (var rule in rules)
            script.Append($"\t\t{rule}\n");
        script.Append("\t}\n");
    }

    private static string PortRule(PublishedPort port, FirewallNetwork network)
    {
        var protocol = port.Protocol == PortProtocol.Tcp ? "tcp" : "udp";
        var hostAddress = port.HostIp.Equals(IPAddress.Any) ? "" : $"ip daddr {port.HostIp} ";
        return $"{hostAddress}{protocol} dport {port.HostPort} dnat to {port.ContainerIp}:{port.ContainerPort} {Comment(network)}";
    }

    private static IEnumerable<string> PostroutingRules(FirewallNetwork network)
    {
        var bridge = Quoted(network.BridgeName);
        var subnet = FirewallStateValidator.ParseSubnet(network);
        var comment = Comment(network);
        if (!network.Internal && network.Masquerade)
            yield return $"ip saddr {subnet} oifname != {bridge} masquerade {comment}";
        yield return $"ip saddr 127.0.0.0/8 oifname {bridge} masquerade {comment}";
        yield return $"ip saddr {subnet} oifname {bridge} ct status dnat masquerade {comment}";
    }

    private static IEnumerable<string> ForwardRules(IReadOnlyList<FirewallNetwork> networks)
    {
        foreach (var network in networks)
        {
            var bridge = Quoted(network.BridgeName);
            yield return $"iifname {bridge} oifname {bridge} {(network.Icc ? "accept" : "drop")} {Comment(network)}";
        }
        foreach (var network in networks.Where(n => n.Internal))
        {
            var bridge = Quoted(network.BridgeName);
            yield return $"iifname {bridge} drop {Comment(network)}";
            yield return $"oifname {bridge} drop {Comment(network)}";
        }
        foreach (var network in networks.Where(n => !n.Internal))
        {
            var bridge = Quoted(network.BridgeName);
            yield return $"oifname {bridge} ct state invalid drop {Comment(network)}";
            yield return $"oifname {bridge} ct state established,related accept {Comment(network)}";
            yield return $"oifname {bridge} ct status dnat accept {Comment(network)}";
            yield return $"oifname {bridge} drop {Comment(network)}";
        }
        foreach (var network in networks.Where(n => !n.Internal))
        {
            var bridge = Quoted(network.BridgeName);
            yield return $"iifname {bridge} ct state invalid drop {Comment(network)}";
            yield return $"iifname {bridge} oifname != {bridge} accept {Comment(network)}";
        }
    }

    private static string Quoted(string interfaceName) => $"\"{interfaceName}\"";

    /// <summary>The network's name as an nft comment: printable ASCII without quotes or backslashes, shortened.</summary>
    private static string Comment(FirewallNetwork network)
    {
        var text = new string(network.Name.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c : '_').ToArray());
        return $"comment \"{(text.Length > CommentMaxLength ? text[..CommentMaxLength] : text)}\"";
    }
}
