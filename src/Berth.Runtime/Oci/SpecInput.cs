using Berth.Api.Wire.Containers;

namespace Berth.Runtime.Oci;

/// <summary>Everything <see cref="SpecBuilder"/> needs to write one container's (or exec's) runtime spec.</summary>
public sealed record SpecInput
{
    public required string ContainerId { get; init; }
    public required string RootfsPath { get; init; }
    public required IReadOnlyList<string> Args { get; init; }
    public required IReadOnlyList<string> Env { get; init; }
    public string WorkingDir { get; init; } = "/";
    public required ResolvedUser User { get; init; }
    public string Hostname { get; init; } = "";
    public string Domainname { get; init; } = "";
    public bool Tty { get; init; }
    public uint[]? ConsoleSize { get; init; }
    public required HostConfig HostConfig { get; init; }

    /// <summary>The network namespace to join: null for a new one, "host" for the host's, else a path.</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>Engine-managed files bind-mounted into the container: destination to host path.</summary>
    public IReadOnlyDictionary<string, string> EngineFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>The container's own mounts (binds, volumes, tmpfs), mounted after the defaults; an engine file whose destination one of them takes is left out.</summary>
    public IReadOnlyList<SpecMount> UserMounts { get; init; } = [];

    /// <summary>The cgroup to create, as <c>/parent/id</c>.</summary>
    public required string CgroupsPath { get; init; }

    /// <summary>A parsed <c>--security-opt seccomp=FILE</c> profile; null means Docker's default.</summary>
    public Seccomp.SeccompProfile? SeccompProfile { get; init; }

    /// <summary>The static init binary to mount as <c>/sbin/docker-init</c> and run as PID 1; null for no init.</summary>
    public string? InitPath { get; init; }

    public Version Kernel { get; init; } = Environment.OSVersion.Version;
}

/// <summary>A user resolved against the image's /etc/passwd and /etc/group.</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);
