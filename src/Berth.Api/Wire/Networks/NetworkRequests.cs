using Berth.Api.Wire.Containers;

namespace Berth.Api.Wire.Networks;

/// <summary>The body of <c>POST /networks/create</c>.</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";
    public bool CheckDuplicate { get; set; }
    public string Driver { get; set; } = "";
    public string Scope { get; set; } = "";
    public bool EnableIPv6 { get; set; }
    public NetworkIpam? IPAM { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public bool ConfigOnly { get; set; }
    public ConfigReference? ConfigFrom { get; set; }
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";
    public string Warning { get; set; } = "";
}

/// <summary>The body of <c>POST /networks/{id}/connect</c>.</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";
    public EndpointSettings? EndpointConfig { get; set; }
}

/// <summary>The body of <c>POST /networks/{id}/disconnect</c>.</summary>
public sealed class NetworkDisconnectRequest
{
    public string Container { get; set; } = "";
    public bool Force { get; set; }
}

public sealed class NetworksPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
