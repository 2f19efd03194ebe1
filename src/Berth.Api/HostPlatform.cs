using System.Runtime.InteropServices;

namespace Berth.Api;

/// <summary>The host's OS and CPU architecture in Go's names, as images and the API spell them.</summary>
public static class HostPlatform
{
    public const string Os = "linux";

    public static string Architecture { get; } = RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>The machine name <c>uname -m</c> prints (x86_64, aarch64), which /info reports.</summary>
    public static string MachineName { get; } = Architecture switch
    {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "386" => "i686",
        "arm" => "armv7l",
        var other => other,
    };
}
