using System.Globalization;
using Berth.Api.Errors;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>A linked container as /etc/hosts names it: its address, then the alias, its short ID and its name.</summary>
    internal sealed record HostsLink(string Address, IReadOnlyList<string> Names);

    /// <summary>
    /// Rewrites <c>--link name[:alias]</c> as dockerd keeps it (<c>/name:/me/alias</c>), checking that each
    /// linked container exists.
    /// </summary>
    private void NormalizeLinks(ContainerRecord record)
    {
        if (record.HostConfig.Links is not { Count: > 0 } links) return;
        var normalized = new List<string>();
        foreach (var link in links)
        {
            var (name, alias) = SplitLink(link);
            // 400, as dockerd: a 404 would make the CLI try to pull the image.
            var target = store.TryGet(name) ?? throw BerthException.InvalidParameter($"could not get container for {name}: No such container: {name}");
            normalized.Add($"{target.Name}:{record.Name}/{alias}");
        }
        record.HostConfig.Links = normalized;
    }

    /// <summary>Whether the container's network mode is the default bridge (<c>default</c>, as the CLI sends it without <c>--network</c>, or <c>bridge</c>).</summary>
    private static bool OnDefaultBridge(ContainerRecord record) => record.HostConfig.NetworkMode is "default" or "bridge";

    private static (string Name, string Alias) SplitLink(string link)
    {
        var colon = link.IndexOf(':');
        var name = (colon < 0 ? link : link[..colon]).TrimStart('/');
        var alias = colon < 0 ? name : link[(colon + 1)..];
        var slash = alias.LastIndexOf('/');
        return (name, slash >= 0 ? alias[(slash + 1)..] : alias);
    }

    /// <summary>
    /// The legacy links of a container on the default bridge: each linked container must run; it
    /// gets a line in /etc/hosts and the <c>ALIAS_PORT_…</c>, <c>ALIAS_NAME</c> and
    /// <c>ALIAS_ENV_…</c> variables, as dockerd writes them.
    /// </summary>
    private (List<HostsLink> Hosts, List<string> Env) ResolveLinks(Container container)
    {
        var hosts = new List<HostsLink>();
        var env = new List<string>();
        var record = container.Record;
        if (record.HostConfig.Links is not { Count: > 0 } links || !OnDefaultBridge(record)) return (hosts, env);
        foreach (var link in links)
        {
            var (name, alias) = SplitLink(link);
            var target = store.TryGet(name) ?? throw BerthException.InvalidParameter($"could not get container for {name}: No such container: {name}");
            if (!target.IsRunning) throw BerthException.System($"Cannot link to a non running container: {target.Name} AS {record.Name}/{alias}");
            var address = target.Record.Networks.GetValueOrDefault("bridge")?.IPAddress;
            if (string.IsNullOrEmpty(address))
                throw BerthException.System($"Cannot link to {target.Name}, as it does not belong to the default network");
            hosts.Add(new HostsLink(address, [alias, target.Id[..12], target.Name.TrimStart('/')]));
            env.AddRange(LinkVariables(alias, record.Name + "/" + alias, address, target.Record));
        }
        return (hosts, env);
    }

    private static IEnumerable<string> LinkVariables(string alias, string fullName, string address, ContainerRecord target)
    {
        var prefix = alias.ToUpperInvariant().Replace('-', '_');
        var ports = (target.Config.ExposedPorts ?? []).Keys
            .Select(k => (Port: int.Parse(k.Split('/')[0], CultureInfo.InvariantCulture), Protocol: k.Contains('/') ? k.Split('/')[1] : "tcp"))
            .OrderBy(p => p.Port).ThenBy(p => p.Protocol, StringComparer.Ordinal).ToList();
        if (ports.Count > 0) yield return $"{prefix}_PORT={ports[0].Protocol}://{address}:{ports[0].Port}";
        foreach (var (port, protocol) in ports)
        {
            var key = $"{prefix}_PORT_{port}_{protocol.ToUpperInvariant()}";
            yield return $"{key}={protocol}://{address}:{port}";
            yield return $"{key}_ADDR={address}";
            yield return $"{key}_PORT={port}";
            yield return $"{key}_PROTO={protocol}";
        }
        yield return $"{prefix}_NAME={fullName}";
        foreach (var variable in target.Config.Env ?? [])
        {
            var parts = variable.Split('=', 2);
            if (parts.Length < 2 || parts[0] is "HOME" or "PATH") continue;
            yield return $"{prefix}_ENV_{parts[0]}={parts[1]}";
        }
    }
}
