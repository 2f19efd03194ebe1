using System.Net;

namespace Berth.Network.Service;

/// <summary>A running container's attachment to one network: its address, MAC, names and interfaces.</summary>
public sealed class Endpoint
{
    public required string NetworkId { get; init; }
    public required string ContainerId { get; init; }
    /// <summary>The container's name without its leading slash.</summary>
    public required string ContainerName { get; set; }
    public required string EndpointId { get; init; }
    public required IPAddress Address { get; init; }
    public required int PrefixLength { get; init; }
    public IPAddress? Gateway { get; init; }
    public required byte[] Mac { get; init; }
    /// <summary>Names it answers to in the embedded DNS besides its container name.</summary>
    public List<string> Aliases { get; init; } = [];
    /// <summary>Legacy links on a user-defined network: alias → the linked container's name; only this container resolves them.</summary>
    public Dictionary<string, string> LinkAliases { get; init; } = [];
    /// <summary>The interface inside the container: eth0, eth1, …</summary>
    public required string InterfaceName { get; init; }
    /// <summary>The host end of its veth pair; empty for macvlan.</summary>
    public string HostInterface { get; init; } = "";
    /// <summary>Whether the endpoint's address was asked for (<c>--ip</c>) rather than allocated.</summary>
    public bool StaticAddress { get; init; }
}
