using Berth.Runtime.Seccomp;

namespace Berth.Runtime.Oci;

/// <summary>
/// The <c>--security-opt</c> values Berth honours. The docker CLI sends a seccomp profile file's
/// content inline (<c>seccomp={json}</c>), so the profile is parsed here.
/// </summary>
public sealed record SecurityOptions(bool NoNewPrivileges, bool SeccompUnconfined, SeccompProfile? SeccompProfile)
{
    /// <summary>Parses the options; the message of a failure is dockerd's.</summary>
    public static SecurityOptions Parse(IReadOnlyList<string>? options)
    {
        var noNewPrivileges = false;
        var unconfined = false;
        SeccompProfile? profile = null;
        foreach (var option in options ?? [])
        {
            if (option == "no-new-privileges")
            {
                noNewPrivileges = true;
                continue;
            }
            var separator = option.IndexOfAny(['=', ':']);
            if (separator < 0) throw new ArgumentException($"invalid --security-opt 1: \"{option}\"");
            var key = option[..separator];
            var value = option[(separator + 1)..];
            switch (key)
            {
                case "no-new-privileges":
                    noNewPrivileges = bool.TryParse(value, out var b) ? b : throw new ArgumentException($"invalid --security-opt 2: \"{option}\"");
                    break;
                case "seccomp" when value == "unconfined":
                    unconfined = true;
                    break;
                case "seccomp" when value is "builtin" or "":
                    break;
                case "seccomp":
                    try
                    {
                        profile = SeccompProfile.Parse(value);
                    }
                    catch (FormatException e)
                    {
                        throw new ArgumentException(e.Message);
                    }
                    break;
                case "apparmor" or "label" or "systempaths" or "writable-cgroups":
                    // No AppArmor or SELinux on the hosts Berth runs on; dockerd ignores them there too.
                    break;
                default:
                    throw new ArgumentException($"invalid --security-opt 2: \"{option}\"");
            }
        }
        return new SecurityOptions(noNewPrivileges, unconfined, profile);
    }
}
