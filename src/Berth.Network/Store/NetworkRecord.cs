using System.Text.Json.Serialization;

namespace Berth.Network.Store;

/// <summary>The drivers Berth has: a Linux bridge, the host's stack, no network, macvlan.</summary>
public static class Drivers
{
    public const string Bridge = "bridge", Host = "host", Null = "null", Macvlan = "macvlan";
}

/// <summary>One IPv4 address space of a network, as the user gave it or the pools chose it.</summary>
public sealed class SubnetRecord
{
    public string Subnet { get; set; } = "";
    public string? IPRange { get; set; }
    public string Gateway { get; set; } = "";
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
    /// <summary>Whether inspect leaves the gateway out, as dockerd does for the default bridge and a user's subnet without <c>--gateway</c>.</summary>
    public bool GatewayHidden { get; set; }
}

/// <summary>What berthd keeps of a network (<c>DATA-ROOT/network/ID.json</c>), written whole and atomically.</summary>
public sealed class NetworkRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "";
    public DateTime Created { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool EnableIPv6 { get; set; }
    /// <summary>Set for the networks every daemon has: bridge, host, none.</summary>
    public bool Builtin { get; set; }
    public Dictionary<string, string> Options { get; set; } = [];
    public Dictionary<string, string> Labels { get; set; } = [];
    public Dictionary<string, string>? IpamOptions { get; set; }
    public List<SubnetRecord> Subnets { get; set; } = [];
    /// <summary>Whether the user chose the subnets (shown in inspect either way).</summary>
    public bool UserSubnets { get; set; }

    /// <summary>The Linux bridge of a bridge network.</summary>
    public string BridgeName { get; set; } = "";

    /// <summary>The parent interface of a macvlan network.</summary>
    public string Parent { get; set; } = "";

    [JsonIgnore] public bool IsDefaultBridge => Builtin && Driver == Drivers.Bridge;

    /// <summary>User-defined bridge and macvlan networks resolve names through the embedded DNS; the default bridge does not.</summary>
    [JsonIgnore] public bool HasEmbeddedDns => !Builtin && Driver is Drivers.Bridge or Drivers.Macvlan;

    [JsonIgnore] public bool HasEndpoints => Driver is Drivers.Bridge or Drivers.Macvlan;

    public bool OptionIsTrue(string key, bool fallback) =>
        Options.TryGetValue(key, out var v) ? bool.TryParse(v, out var b) ? b : fallback : fallback;
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(NetworkRecord))]
internal sealed partial class NetworkRecordJson : JsonSerializerContext;
