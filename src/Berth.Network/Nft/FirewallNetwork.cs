namespace Berth.Network.Nft;

/// <summary>
/// A bridge network as the firewall sees it.
/// </summary>
/// <param name="Name">The network's name, written into rule comments.</param>
/// <param name="BridgeName">The bridge interface, e.g. <c>berth0</c> or <c>br-1a2b3c4d5e6f</c>.</param>
/// <param name="Subnet">The network's IPv4 subnet in CIDR form, e.g. <c>172.17.0.0/16</c>.</param>
/// <param name="Internal">No traffic leaves or enters the network except between its own containers.</param>
/// <param name="Icc">Containers on the bridge may talk to each other.</param>
/// <param name="Masquerade">Traffic leaving the network takes the host's address.</param>
public sealed record FirewallNetwork(
    string Name,
    string BridgeName,
    string Subnet,
    bool Internal = false,
    bool Icc = true,
    bool Masquerade = true);
