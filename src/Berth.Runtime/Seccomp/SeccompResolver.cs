using System.Runtime.InteropServices;
using Berth.Runtime.Oci;

namespace Berth.Runtime.Seccomp;

/// <summary>
/// Turns a Docker-format profile into the OCI filter for one container: a rule applies when the
/// container has every capability its <c>includes.caps</c> names, none of its <c>excludes.caps</c>,
/// the host architecture is allowed, and the kernel is at least <c>includes.minKernel</c>.
/// </summary>
public static class SeccompResolver
{
    public static SpecSeccomp Resolve(SeccompProfile profile, IReadOnlyCollection<string> capabilities, Version kernel, Architecture architecture)
    {
        var (goArch, scmpArch) = architecture switch
        {
            Architecture.X64 => ("amd64", "SCMP_ARCH_X86_64"),
            Architecture.Arm64 => ("arm64", "SCMP_ARCH_AARCH64"),
            Architecture.X86 => ("386", "SCMP_ARCH_X86"),
            Architecture.Arm => ("arm", "SCMP_ARCH_ARM"),
            _ => (architecture.ToString().ToLowerInvariant(), ""),
        };
        var spec = new SpecSeccomp { DefaultAction = profile.DefaultAction, DefaultErrnoRet = profile.DefaultErrnoRet };
        if (profile.Architectures is { Count: > 0 })
            spec.Architectures = [.. profile.Architectures];
        else if (profile.ArchMap?.FirstOrDefault(a => a.Architecture == scmpArch) is { } mapping)
            spec.Architectures = [mapping.Architecture, .. mapping.SubArchitectures ?? []];

        spec.Syscalls = [];
        foreach (var rule in profile.Syscalls ?? [])
        {
            if (!Applies(rule, capabilities, kernel, goArch)) continue;
            var names = rule.Names is { Count: > 0 } ? rule.Names : rule.Name is { } n ? [n] : [];
            if (names.Count == 0) continue;
            spec.Syscalls.Add(new SpecSyscall
            {
                Names = [.. names],
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args?.Select(a => new SpecSyscallArg { Index = a.Index, Value = a.Value, ValueTwo = a.ValueTwo, Op = a.Op }).ToList(),
            });
        }
        return spec;
    }

    private static bool Applies(SyscallRule rule, IReadOnlyCollection<string> capabilities, Version kernel, string goArch)
    {
        if (rule.Includes is { } inc)
        {
            if (inc.Arches is { Count: > 0 } && !inc.Arches.Contains(goArch)) return false;
            if (inc.Caps is { Count: > 0 } && !inc.Caps.All(capabilities.Contains)) return false;
            if (inc.MinKernel is { } min && Version.TryParse(min, out var minimum) && kernel < minimum) return false;
        }
        if (rule.Excludes is { } exc)
        {
            if (exc.Arches is { Count: > 0 } && exc.Arches.Contains(goArch)) return false;
            if (exc.Caps is { Count: > 0 } && exc.Caps.Any(capabilities.Contains)) return false;
        }
        return true;
    }
}
