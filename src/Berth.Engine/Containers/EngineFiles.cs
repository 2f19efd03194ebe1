using System.Text;

namespace Berth.Engine.Containers;

/// <summary>
/// The files berthd writes for each container and bind-mounts over the image's:
/// <c>/etc/hostname</c>, <c>/etc/hosts</c> and <c>/etc/resolv.conf</c>.
/// </summary>
public static class EngineFiles
{
    public static string HostnamePath(Container c) => Path.Combine(c.Directory, "hostname");
    public static string HostsPath(Container c) => Path.Combine(c.Directory, "hosts");
    public static string ResolvConfPath(Container c) => Path.Combine(c.Directory, "resolv.conf");

    public static void Write(Container c, bool hostNetwork)
    {
        var config = c.Record.Config;
        File.WriteAllText(HostnamePath(c), config.Hostname + "\n");
        File.WriteAllText(HostsPath(c), hostNetwork && File.Exists("/etc/hosts") ? File.ReadAllText("/etc/hosts") : Hosts(c));
        File.WriteAllText(ResolvConfPath(c), ResolvConf(hostNetwork));
    }

    private static string Hosts(Container c)
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
        return hosts.ToString();
    }

    /// <summary>
    /// The host's resolv.conf; in a container's own network namespace, loopback name servers
    /// cannot be reached, so they are dropped as dockerd drops them (Google's when none remain).
    /// </summary>
    private static string ResolvConf(bool hostNetwork)
    {
        var host = File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : "";
        if (hostNetwork) return host;
        var lines = host.Split('\n').Where(l => !IsLoopbackNameserver(l)).ToList();
        var result = string.Join('\n', lines).TrimEnd('\n') + "\n";
        if (!lines.Any(l => l.TrimStart().StartsWith("nameserver", StringComparison.Ordinal)))
            result = result.TrimStart('\n') + "\nnameserver 8.8.8.8\nnameserver 8.8.4.4";
        return result.TrimStart('\n').TrimEnd('\n') + "\n";
    }

    private static bool IsLoopbackNameserver(string line)
    {
        var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && fields[0] == "nameserver" && (fields[1].StartsWith("127.", StringComparison.Ordinal) || fields[1] == "::1");
    }
}
