namespace Berth.Network.Service;

/// <summary>The daemon's network settings (daemon.json <c>bridge</c>, <c>bip</c>, <c>fixed-cidr</c>, <c>mtu</c>).</summary>
public sealed class NetworkSettings
{
    /// <summary>Where network records live: <c>DATA-ROOT/network</c>.</summary>
    public required string Root { get; init; }

    /// <summary>The default bridge's Linux name.</summary>
    public string DefaultBridgeName { get; init; } = "berth0";

    /// <summary>The default bridge's address and prefix (<c>172.17.0.1/16</c> when empty).</summary>
    public string BridgeIp { get; init; } = "";

    /// <summary>The part of the default bridge's subnet containers get addresses from; the whole subnet when empty.</summary>
    public string FixedCidr { get; init; } = "";

    public int Mtu { get; init; } = 1500;
}
