using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// A seccomp profile in Docker's format (the format of <c>--security-opt seccomp=FILE</c> and of
/// Docker's default profile): rules that apply only with certain capabilities, architectures or
/// kernels, to be resolved into an OCI filter by <see cref="SeccompResolver"/>.
/// </summary>
public sealed class SeccompProfile
{
    public string DefaultAction { get; set; } = "";
    public uint? DefaultErrnoRet { get; set; }
    public List<string>? Architectures { get; set; }
    public List<ArchitectureMapping>? ArchMap { get; set; }
    public List<SyscallRule>? Syscalls { get; set; }

    /// <summary>Docker's default profile, as shipped with Berth.</summary>
    public static SeccompProfile Default { get; } = LoadDefault();

    /// <summary>Parses a user's profile; the message says what is wrong, as dockerd's does.</summary>
    public static SeccompProfile Parse(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SeccompJson.Default.SeccompProfile)
                   ?? throw new FormatException("decoding seccomp profile failed: the profile is null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"decoding seccomp profile failed: {e.Message}");
        }
    }

    private static SeccompProfile LoadDefault()
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream("Berth.Runtime.Seccomp.default-profile.json")
                           ?? throw new InvalidOperationException("the default seccomp profile is missing from the assembly");
        return JsonSerializer.Deserialize(stream, SeccompJson.Default.SeccompProfile)!;
    }
}

public sealed class ArchitectureMapping
{
    public string Architecture { get; set; } = "";
    public List<string>? SubArchitectures { get; set; }
}

public sealed class SyscallRule
{
    public List<string>? Names { get; set; }
    public string? Name { get; set; }
    public string Action { get; set; } = "";
    public uint? ErrnoRet { get; set; }
    public List<SyscallArgument>? Args { get; set; }
    public RuleFilter? Includes { get; set; }
    public RuleFilter? Excludes { get; set; }
    public string? Comment { get; set; }
}

public sealed class SyscallArgument
{
    public uint Index { get; set; }
    public ulong Value { get; set; }
    public ulong ValueTwo { get; set; }
    public string Op { get; set; } = "";
}

public sealed class RuleFilter
{
    public List<string>? Caps { get; set; }
    public List<string>? Arches { get; set; }
    public string? MinKernel { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(SeccompProfile))]
internal sealed partial class SeccompJson : JsonSerializerContext;
