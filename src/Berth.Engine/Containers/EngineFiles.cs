using System.Text;

namespace Berth.Engine.Containers;

/// <summary>
/// The files berthd writes for each container and bind-mounts over the image's:
/// <c>/etc/hostname</c>, <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>. They are rewritten in
/// place (never replaced), so a running container's bind mounts see every change.
/// </summary>
public static class EngineFiles
{
    public static string HostnamePath(Container c) => Path.Combine(c.Directory, "hostname");
    public static string HostsPath(Container c) => Path.Combine(c.Directory, "hosts");
    public static string ResolvConfPath(Container c) => Path.Combine(c.Directory, "resolv.conf");

    internal static void Write(Container c, NetworkFacts facts)
    {
        var config = c.Record.Config;
        File.WriteAllText(HostnamePath(c), config.Hostname + "\n");
        File.WriteAllText(HostsPath(c), facts.HostNetwork && File.Exists("/etc/hosts") ? File.ReadAllText("/etc/hosts") : Hosts(c, facts));
        File.WriteAllText(ResolvConfPath(c), ResolvConf(c.Record.HostConfig, facts));
    }

    private static string Hosts(Container c, NetworkFacts facts)
    {
        var hosts = new StringBuilder();
        hosts.Append("127.0.0.1\tlocalhost\n");
        hosts.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        hosts.Append("fe00::0\tip6-localnet\n");
        hosts.Append("ff00::0\tip6-mcastprefix\n");
        hosts.Append("ff02::1\tip6-allnodes\n");
        hosts.Append("ff02::2\tip6-allrouters\n");
        foreach (var extra in c.Record.HostConfig.ExtraHosts ?? [])
        {
            var colon = extra.IndexOf(':');
            if (colon > 0) hosts.Append(extra[(colon + 1)..]).Append('\t').Append(extra[..colon]).Append('\n');
        }
        foreach (var link in facts.Links) hosts.Append(link.Address).Append('\t').AppendJoin(' ', link.Names).Append('\n');
        var config = c.Record.Config;
        var names = string.IsNullOrEmpty(config.Domainname) ? config.Hostname : $"{config.Hostname}.{config.Domainname} {config.Hostname}";
        foreach (var address in facts.Addresses) hosts.Append(address).Append('\t').Append(names).Append('\n');
        return hosts.ToString();
    }

    /// <summary>
    /// The host's resolv.conf with the container's <c>--dns</c>, <c>--dns-search</c> and
    /// <c>--dns-option</c>. With the embedded DNS the only name server is 127.0.0.11 (it forwards
    /// to the others); otherwise loopback name servers, unreachable from the container's own
    /// namespace, are dropped as dockerd drops them (Google's when none remain).
    /// </summary>
    private static string ResolvConf(Api.Wire.Containers.HostConfig host, NetworkFacts facts)
    {
        var hostFile = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        if (facts.HostNetwork && host.Dns is not { Count: > 0 } && host.DnsSearch is not { Count: > 0 } && host.DnsOptions is not { Count: > 0 }) return hostFile;
        var lines = hostFile.Split('\n');
        var nameservers = host.Dns is { Count: > 0 } dns ? dns : lines.Select(Fields).Where(f => f.Length >= 2 && f[0] == "nameserver").Select(f => f[1]).ToList();
        var search = host.DnsSearch is { Count: > 0 } s ? s : lines.Select(Fields).Where(f => f.Length >= 2 && f[0] == "search").SelectMany(f => f.Skip(1)).ToList();
        var options = lines.Select(Fields).Where(f => f.Length >= 2 && f[0] == "options").SelectMany(f => f.Skip(1)).ToList();
        if (host.DnsOptions is { Count: > 0 } userOptions) options = [.. userOptions];
        if (facts.EmbeddedDns)
        {
            // As dockerd: the user's options first, then ndots:0 unless the user chose an ndots.
            nameservers = ["127.0.0.11"];
            if (!options.Any(o => o.StartsWith("ndots:", StringComparison.Ordinal))) options.Add("ndots:0");
        }
        else if (!facts.HostNetwork)
        {
            nameservers = nameservers.Where(n => !n.StartsWith("127.", StringComparison.Ordinal) && n != "::1").ToList();
            if (nameservers.Count == 0) nameservers = ["8.8.8.8", "8.8.4.4"];
        }
        var result = new StringBuilder();
        if (search.Count > 0) result.Append("search ").AppendJoin(' ', search.Distinct()).Append('\n');
        foreach (var server in nameservers) result.Append("nameserver ").Append(server).Append('\n');
        if (options.Count > 0) result.Append("options ").AppendJoin(' ', options.Distinct()).Append('\n');
        return result.ToString();
    }

    private static string[] Fields(string line) => line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The host's name servers, for the embedded DNS to forward to (the container's <c>--dns</c> first).</summary>
    public static IReadOnlyList<string> UpstreamNameservers(Api.Wire.Containers.HostConfig host)
    {
        if (host.Dns is { Count: > 0 } dns) return dns;
        var hostFile = File.Exists("/etc/resolv.conf") ? File.ReadAllLines("/etc/resolv.conf") : [];
        return hostFile.Select(Fields).Where(f => f.Length >= 2 && f[0] == "nameserver").Select(f => f[1]).ToList();
    }
}
