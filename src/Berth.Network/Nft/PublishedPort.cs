using System.Net;

namespace Berth.Network.Nft;

/// <summary>
/// A container port reachable through the host: traffic to <see cref="HostIp"/>:<see cref="HostPort"/>
/// goes to <see cref="ContainerIp"/>:<see cref="ContainerPort"/> on the bridge <see cref="BridgeName"/>.
/// </summary>
/// <param name="HostIp">An IPv4 address of the host, or <see cref="IPAddress.Any"/> for all of them.</param>
public sealed record PublishedPort(
    PortProtocol Protocol,
    IPAddress HostIp,
    int HostPort,
    IPAddress ContainerIp,
    int ContainerPort,
    string BridgeName);
