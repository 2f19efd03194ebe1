namespace Berth.Runtime.Oci;

/// <summary>Linux capability names, Docker's default set, and <c>--cap-add</c>/<c>--cap-drop</c> resolution.</summary>
public static class Capabilities
{
    /// <summary>Every capability by number, as the kernel numbers them (include/uapi/linux/capability.h).</summary>
    private static readonly string[] ByNumber =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
        "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>What a container gets without <c>--cap-add</c>, <c>--cap-drop</c> or <c>--privileged</c>, as Docker.</summary>
    public static IReadOnlyList<string> Default { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    /// <summary>The capabilities this kernel knows (those up to <c>/proc/sys/kernel/cap_last_cap</c>).</summary>
    public static IReadOnlyList<string> All { get; } = KernelCapabilities();

    private static string[] KernelCapabilities()
    {
        var last = ByNumber.Length - 1;
        try
        {
            if (int.TryParse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim(), out var n)) last = Math.Min(n, last);
        }
        catch (IOException)
        {
        }
        return ByNumber[..(last + 1)];
    }

    /// <summary>
    /// Applies <c>--cap-add</c> and <c>--cap-drop</c> to the default set, as Docker does: names are
    /// case-insensitive with or without <c>CAP_</c>; <c>ALL</c> means every capability; an add wins
    /// over a drop of ALL, a drop wins over an add of ALL.
    /// </summary>
    public static IReadOnlyList<string> Resolve(IEnumerable<string>? add, IEnumerable<string>? drop, bool privileged)
    {
        if (privileged) return All;
        var adds = Normalize(add);
        var drops = Normalize(drop);
        foreach (var name in adds.Concat(drops))
            if (name != "ALL" && !ByNumber.Contains(name)) throw new ArgumentException($"unknown capability: \"{name}\"");

        IEnumerable<string> result = adds.Contains("ALL") ? All : Default;
        if (drops.Contains("ALL"))
            result = adds.Contains("ALL") ? [] : adds.Where(a => a != "ALL");
        else
            result = result.Concat(adds.Where(a => a != "ALL")).Where(c => !drops.Contains(c));
        return result.Distinct().ToList();
    }

    private static List<string> Normalize(IEnumerable<string>? names) =>
        (names ?? []).Select(n => n.Trim().ToUpperInvariant())
            .Where(n => n.Length > 0)
            .Select(n => n == "ALL" || n.StartsWith("CAP_", StringComparison.Ordinal) ? n : "CAP_" + n)
            .ToList();
}
