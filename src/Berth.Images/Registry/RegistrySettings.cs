namespace Berth.Images.Registry;

/// <summary>The daemon's registry configuration: daemon.json's <c>insecure-registries</c>, <c>registry-mirrors</c>, download limits, and where per-registry certificates live.</summary>
public sealed record RegistrySettings
{
    public const string DefaultCertsDirectory = "/etc/berth/certs.d";

    /// <summary><c>host[:port]</c> names and CIDRs; 127.0.0.0/8 is always insecure.</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Mirrors of Docker Hub, <c>http(s)://host[:port]</c>, tried in order before it.</summary>
    public IReadOnlyList<string> Mirrors { get; init; } = [];

    /// <summary>Holds <c>HOST[:PORT]/</c> directories of CA certificates (<c>*.crt</c>) and client key pairs (<c>*.cert</c> with <c>*.key</c>).</summary>
    public string CertsDirectory { get; init; } = DefaultCertsDirectory;

    /// <summary>Layers a pull downloads at once; 0 is no limit, as in dockerd.</summary>
    public int MaxConcurrentDownloads { get; init; } = 3;

    /// <summary>Layers one push sends at once (<c>max-concurrent-uploads</c>).</summary>
    public int MaxConcurrentUploads { get; init; } = 5;

    /// <summary>How many times a layer download is tried before the pull fails.</summary>
    public int MaxDownloadAttempts { get; init; } = 5;

    /// <summary>The wait before the Nth retry is N times this (dockerd: 5 seconds).</summary>
    public TimeSpan RetryDelayStep { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>RegistryConfig</c> of <c>GET /info</c>, as dockerd builds it: insecure CIDRs (127.0.0.0/8 last),
    /// insecure names and Docker Hub (with its mirrors) as index configurations, mirrors ending in "/".
    /// </summary>
    public Berth.Api.Wire.Daemon.RegistryServiceConfig Describe()
    {
        var entries = InsecureRegistries.Select(e => Transport.InsecureRegistries.Normalize(e)).ToList();
        var cidrs = entries.Where(e => System.Net.IPNetwork.TryParse(e, out _)).Append("127.0.0.0/8").Distinct().ToList();
        var mirrors = Mirrors.Select(m => m.TrimEnd('/') + "/").ToList();
        var indexes = entries.Where(e => !System.Net.IPNetwork.TryParse(e, out _)).Distinct()
            .ToDictionary(e => e, e => new Berth.Api.Wire.Daemon.IndexInfo { Name = e });
        indexes["docker.io"] = new Berth.Api.Wire.Daemon.IndexInfo { Name = "docker.io", Mirrors = mirrors, Secure = true, Official = true };
        return new Berth.Api.Wire.Daemon.RegistryServiceConfig { InsecureRegistryCIDRs = cidrs, IndexConfigs = indexes, Mirrors = mirrors };
    }

    /// <summary>The first setting dockerd would refuse, in its words, or null.</summary>
    public string? Problem()
    {
        if (MaxConcurrentDownloads < 0) return $"invalid max concurrent downloads: {MaxConcurrentDownloads}";
        // dockerd lets 0 through, and would then wait forever on the first layer of a push.
        if (MaxConcurrentUploads < 1) return $"invalid max concurrent uploads: {MaxConcurrentUploads}";
        if (MaxDownloadAttempts < 1) return $"invalid max download attempts: {MaxDownloadAttempts}";
        foreach (var mirror in Mirrors)
            if (Transport.RegistryEndpoints.ValidateMirror(mirror) is { } problem) return problem;
        foreach (var entry in InsecureRegistries)
            if (Transport.InsecureRegistries.Validate(entry) is { } problem) return problem;
        return null;
    }
}
