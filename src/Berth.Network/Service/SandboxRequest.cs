using System.Net;

namespace Berth.Network.Service;

/// <summary>One network a container asks to join, with what it asks for there.</summary>
public sealed class EndpointRequest
{
    public required string Network { get; init; }
    public IPAddress? Address { get; init; }
    public byte[]? Mac { get; init; }
    public List<string> Aliases { get; init; } = [];
    /// <summary>Legacy links: alias → linked container name, resolved by this container's DNS on this network.</summary>
    public Dictionary<string, string> LinkAliases { get; init; } = [];
    /// <summary>How many of <see cref="Aliases"/> the engine adds itself (short ID, hostname) rather than the user.</summary>
    public int ImplicitAliases { get; init; }
    /// <summary>Set when restoring a running container: the endpoint as it was.</summary>
    public Endpoint? Existing { get; init; }
}

/// <summary>A published port as asked for: <c>-p [ip:]host:container/proto</c>, or an ephemeral host port when HostPort is 0.</summary>
public sealed record PortRequest(string Protocol, int ContainerPort, IPAddress HostIp, int HostPort, int HostPortEnd);

/// <summary>A published port as bound.</summary>
public sealed record BoundPort(string Protocol, int ContainerPort, IPAddress HostIp, int HostPort);

/// <summary>Everything a container's network namespace gets: its endpoints, published ports and names.</summary>
public sealed class SandboxRequest
{
    public required string ContainerId { get; init; }
    public required string ContainerName { get; init; }
    public required string Hostname { get; init; }
    public List<EndpointRequest> Endpoints { get; init; } = [];
    public List<PortRequest> Ports { get; init; } = [];
    /// <summary>The resolvers the embedded DNS forwards other names to.</summary>
    public List<IPEndPoint> DnsUpstreams { get; init; } = [];
}

/// <summary>What a sandbox was given: one endpoint per network (in request order) and the bound ports.</summary>
public sealed class Sandbox
{
    public required string ContainerId { get; init; }
    public required List<Endpoint> Endpoints { get; init; }
    public required List<BoundPort> Ports { get; init; }
    public int Pid { get; set; }
    public List<IPEndPoint> DnsUpstreams { get; init; } = [];
    internal List<IDisposable> Resources { get; } = [];
    internal CancellationTokenSource? Dns { get; set; }
}
