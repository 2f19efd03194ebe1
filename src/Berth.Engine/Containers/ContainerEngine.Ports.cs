using System.Globalization;
using System.Net;
using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Network.Service;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>The ports to publish: every <c>-p</c> binding of an exposed port, and with <c>-P</c> every other exposed port on an ephemeral host port.</summary>
    private static List<PortRequest> PortRequests(ContainerRecord record)
    {
        var requests = new List<PortRequest>();
        var bindings = record.HostConfig.PortBindings ?? [];
        var exposed = record.Config.ExposedPorts ?? [];
        foreach (var (key, list) in bindings.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            var (port, protocol) = ParsePortKey(key);
            // As dockerd: only exposed ports are published (the CLI exposes every -p port; a raw API call may not).
            if (!exposed.ContainsKey(key) && !exposed.ContainsKey($"{port}/{protocol}")) continue;
            foreach (var binding in list ?? [])
            {
                var hostIp = string.IsNullOrEmpty(binding.HostIp) ? IPAddress.Any : IPAddress.TryParse(binding.HostIp, out var ip) ? ip
                    : throw BerthException.InvalidParameter($"invalid IP address: {binding.HostIp}");
                var (start, end) = ParseHostPorts(binding.HostPort);
                requests.Add(new PortRequest(protocol, port, hostIp, start, end));
            }
        }
        if (record.HostConfig.PublishAllPorts)
            foreach (var key in (record.Config.ExposedPorts ?? []).Keys.Order(StringComparer.Ordinal))
                if (!bindings.ContainsKey(key))
                {
                    var (port, protocol) = ParsePortKey(key);
                    requests.Add(new PortRequest(protocol, port, IPAddress.Any, 0, 0));
                }
        return requests;
    }

    /// <summary>inspect's <c>NetworkSettings.Ports</c>: each exposed or published port with its bindings, null for exposed ones not published.</summary>
    private static Dictionary<string, List<PortBinding>?> PortMap(ContainerRecord record, IReadOnlyList<Berth.Network.Service.BoundPort> bound)
    {
        var map = new Dictionary<string, List<PortBinding>?>();
        foreach (var key in (record.Config.ExposedPorts ?? []).Keys) map[key] = null;
        foreach (var b in bound)
        {
            var key = $"{b.ContainerPort}/{b.Protocol}";
            if (map.GetValueOrDefault(key) is not { } list) map[key] = list = [];
            list.Add(new PortBinding { HostIp = b.HostIp.ToString(), HostPort = b.HostPort.ToString(CultureInfo.InvariantCulture) });
        }
        return map;
    }

    private static (int Port, string Protocol) ParsePortKey(string key)
    {
        var slash = key.IndexOf('/');
        var number = slash < 0 ? key : key[..slash];
        var protocol = slash < 0 ? "tcp" : key[(slash + 1)..].ToLowerInvariant();
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw BerthException.InvalidParameter($"invalid port specification: \"{key}\"");
        if (protocol is not ("tcp" or "udp")) throw BerthException.InvalidParameter($"invalid proto: {protocol}");
        return (port, protocol);
    }

    private static (int Start, int End) ParseHostPorts(string text)
    {
        if (string.IsNullOrEmpty(text)) return (0, 0);
        var dash = text.IndexOf('-');
        var start = dash < 0 ? text : text[..dash];
        var end = dash < 0 ? text : text[(dash + 1)..];
        if (!int.TryParse(start, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || !int.TryParse(end, NumberStyles.None, CultureInfo.InvariantCulture, out var e)
            || s is < 1 or > 65535 || e < s || e > 65535)
            throw BerthException.InvalidParameter($"invalid port specification: \"{text}\"");
        return (s, e);
    }
}
