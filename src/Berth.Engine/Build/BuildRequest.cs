using Berth.Images.Registry;

namespace Berth.Engine.Build;

/// <summary>What <c>POST /build</c> asks for (its query parameters; the context is the body).</summary>
public sealed record BuildRequest
{
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>The Dockerfile's path inside the context (<c>Dockerfile</c> when not given).</summary>
    public string Dockerfile { get; init; } = "Dockerfile";
    /// <summary>--build-arg values; a null value means "take it from the client's environment", which the CLI already did.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    /// <summary>Remove intermediate containers after a successful step (the default).</summary>
    public bool Remove { get; init; } = true;
    /// <summary>Remove intermediate containers even when a step fails.</summary>
    public bool ForceRemove { get; init; }
    public bool Quiet { get; init; }
    public string? Target { get; init; }
    /// <summary>A remote context (git or tarball URL) instead of the body; not supported.</summary>
    public string? Remote { get; init; }
    public bool Squash { get; init; }
    /// <summary>The builder the client asks for: "1" (classic) or "2" (BuildKit, not supported).</summary>
    public string? BuilderVersion { get; init; }
    /// <summary>The platform to build for; only the host's is accepted.</summary>
    public string? Platform { get; init; }
    public string? NetworkMode { get; init; }
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public long ShmSize { get; init; }
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long CpuShares { get; init; }
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    /// <summary>Credentials for pulling base images, by registry (the <c>X-Registry-Config</c> header).</summary>
    public RegistryAuthConfigs RegistryAuth { get; init; } = RegistryAuthConfigs.None;
}
