using Berth.Runtime.Oci;

namespace Berth.Engine.Containers;

/// <summary>
/// Resolves <c>--user</c> (<c>name</c>, <c>uid</c>, <c>name:group</c>, <c>uid:gid</c>) and
/// <c>--group-add</c> against the container's own /etc/passwd and /etc/group, as dockerd does.
/// The files are read through <see cref="RootPath"/> so a symlink in the image never leads out of it.
/// </summary>
public static class UserResolver
{
    private sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home);

    private sealed record GroupEntry(string Name, uint Gid, string[] Members);

    public static ResolvedUser Resolve(string rootfs, string? user, IReadOnlyList<string>? groupAdd)
    {
        var spec = string.IsNullOrEmpty(user) ? "0" : user;
        var colon = spec.IndexOf(':');
        var userPart = colon < 0 ? spec : spec[..colon];
        var groupPart = colon < 0 ? null : spec[(colon + 1)..];
        var passwd = ReadPasswd(rootfs);
        var groups = ReadGroups(rootfs);

        PasswdEntry? entry;
        uint uid;
        if (uint.TryParse(userPart, out uid))
            entry = passwd.FirstOrDefault(p => p.Uid == uid);
        else
        {
            entry = passwd.FirstOrDefault(p => p.Name == userPart)
                    ?? throw new ArgumentException($"unable to find user {userPart}: no matching entries in passwd file");
            uid = entry.Uid;
        }
        var gid = entry?.Gid ?? 0;
        if (!string.IsNullOrEmpty(groupPart))
        {
            if (uint.TryParse(groupPart, out var g)) gid = g;
            else gid = (groups.FirstOrDefault(x => x.Name == groupPart)
                        ?? throw new ArgumentException($"unable to find group {groupPart}: no matching entries in group file")).Gid;
        }

        // As dockerd: the primary group is always among the supplementary ones too (`id` shows it under groups=).
        var additional = new List<uint> { gid };
        if (entry is not null && string.IsNullOrEmpty(groupPart))
            additional.AddRange(groups.Where(x => x.Members.Contains(entry.Name)).Select(x => x.Gid));
        foreach (var extra in groupAdd ?? [])
        {
            if (uint.TryParse(extra, out var g)) additional.Add(g);
            else additional.Add((groups.FirstOrDefault(x => x.Name == extra)
                                 ?? throw new ArgumentException($"Unable to find group {extra}: no matching entries in group file")).Gid);
        }
        return new ResolvedUser(uid, gid, additional.Distinct().ToList(), entry?.Home ?? "/");
    }

    private static List<PasswdEntry> ReadPasswd(string rootfs) =>
        ReadColonFile(rootfs, "/etc/passwd")
            .Where(f => f.Length >= 6 && uint.TryParse(f[2], out _) && uint.TryParse(f[3], out _))
            .Select(f => new PasswdEntry(f[0], uint.Parse(f[2]), uint.Parse(f[3]), f[5]))
            .ToList();

    private static List<GroupEntry> ReadGroups(string rootfs) =>
        ReadColonFile(rootfs, "/etc/group")
            .Where(f => f.Length >= 3 && uint.TryParse(f[2], out _))
            .Select(f => new GroupEntry(f[0], uint.Parse(f[2]), f.Length > 3 ? f[3].Split(',', StringSplitOptions.RemoveEmptyEntries) : []))
            .ToList();

    private static IEnumerable<string[]> ReadColonFile(string rootfs, string path)
    {
        var hostPath = RootPath.Resolve(rootfs, path);
        if (!File.Exists(hostPath)) return [];
        return File.ReadLines(hostPath)
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(':'));
    }
}
