using System.Text.Json.Serialization;

namespace Berth.Runtime.Oci;

/// <summary>The parts of the OCI runtime specification (config.json) that Berth fills.</summary>
public sealed class RuntimeSpec
{
    public string OciVersion { get; set; } = "1.0.2";
    public SpecProcess Process { get; set; } = new();
    public SpecRoot Root { get; set; } = new();
    public string? Hostname { get; set; }
    public string? Domainname { get; set; }
    public List<SpecMount> Mounts { get; set; } = [];
    public Dictionary<string, string>? Annotations { get; set; }
    public SpecLinux Linux { get; set; } = new();
}

public sealed class SpecProcess
{
    public bool Terminal { get; set; }
    public SpecConsoleSize? ConsoleSize { get; set; }
    public SpecUser User { get; set; } = new();
    public List<string> Args { get; set; } = [];
    public List<string> Env { get; set; } = [];
    public string Cwd { get; set; } = "/";
    public SpecCapabilities? Capabilities { get; set; }
    public List<SpecRlimit>? Rlimits { get; set; }
    public bool NoNewPrivileges { get; set; }
    public int? OomScoreAdj { get; set; }
}

public sealed class SpecConsoleSize
{
    public uint Height { get; set; }
    public uint Width { get; set; }
}

public sealed class SpecUser
{
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public List<uint>? AdditionalGids { get; set; }
}

public sealed class SpecCapabilities
{
    public List<string> Bounding { get; set; } = [];
    public List<string> Effective { get; set; } = [];
    public List<string> Permitted { get; set; } = [];
    public List<string>? Inheritable { get; set; }
    public List<string>? Ambient { get; set; }
}

public sealed class SpecRlimit
{
    public string Type { get; set; } = "";
    public ulong Hard { get; set; }
    public ulong Soft { get; set; }
}

public sealed class SpecRoot
{
    public string Path { get; set; } = "";
    public bool Readonly { get; set; }
}

public sealed class SpecMount
{
    public string Destination { get; set; } = "";
    public string? Type { get; set; }
    public string? Source { get; set; }
    public List<string>? Options { get; set; }
}

public sealed class SpecLinux
{
    public Dictionary<string, string>? Sysctl { get; set; }
    public SpecResources? Resources { get; set; }
    public string? CgroupsPath { get; set; }
    public List<SpecNamespace> Namespaces { get; set; } = [];
    public List<SpecDevice>? Devices { get; set; }
    public SpecSeccomp? Seccomp { get; set; }
    public string? RootfsPropagation { get; set; }
    public List<string>? MaskedPaths { get; set; }
    public List<string>? ReadonlyPaths { get; set; }
}

public sealed class SpecNamespace
{
    public string Type { get; set; } = "";
    public string? Path { get; set; }
}

public sealed class SpecDevice
{
    public string Path { get; set; } = "";
    public string Type { get; set; } = "";
    public long Major { get; set; }
    public long Minor { get; set; }
    public uint? FileMode { get; set; }
    public uint? Uid { get; set; }
    public uint? Gid { get; set; }
}

/// <summary>Cgroup settings; the same shape is what <c>runc update --resources</c> reads.</summary>
public sealed class SpecResources
{
    public List<SpecDeviceRule>? Devices { get; set; }
    public SpecMemory? Memory { get; set; }
    public SpecCpu? Cpu { get; set; }
    public SpecPids? Pids { get; set; }
    public SpecBlockIo? BlockIO { get; set; }
}

public sealed class SpecDeviceRule
{
    public bool Allow { get; set; }
    public string? Type { get; set; }
    public long? Major { get; set; }
    public long? Minor { get; set; }
    public string? Access { get; set; }
}

public sealed class SpecMemory
{
    public long? Limit { get; set; }
    public long? Reservation { get; set; }
    public long? Swap { get; set; }
    public long? Kernel { get; set; }
    public ulong? Swappiness { get; set; }
    public bool? DisableOOMKiller { get; set; }
}

public sealed class SpecCpu
{
    public ulong? Shares { get; set; }
    public long? Quota { get; set; }
    public ulong? Period { get; set; }
    public string? Cpus { get; set; }
    public string? Mems { get; set; }
}

public sealed class SpecPids
{
    public long Limit { get; set; }
}

public sealed class SpecBlockIo
{
    public ushort? Weight { get; set; }
}

public sealed class SpecSeccomp
{
    public string DefaultAction { get; set; } = "";
    public uint? DefaultErrnoRet { get; set; }
    public List<string>? Architectures { get; set; }
    public List<SpecSyscall>? Syscalls { get; set; }
}

public sealed class SpecSyscall
{
    public List<string> Names { get; set; } = [];
    public string Action { get; set; } = "";
    public uint? ErrnoRet { get; set; }
    public List<SpecSyscallArg>? Args { get; set; }
}

public sealed class SpecSyscallArg
{
    public uint Index { get; set; }
    public ulong Value { get; set; }
    public ulong ValueTwo { get; set; }
    public string Op { get; set; } = "";
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(SpecProcess))]
[JsonSerializable(typeof(SpecResources))]
public sealed partial class OciJson : JsonSerializerContext;
