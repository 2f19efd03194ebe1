namespace Berth.Dockerfile;

/// <summary>
/// User and group names of the daemon's host by id, as Go's os/user finds them in /etc/passwd and /etc/group: dockerd puts
/// them in the checksum of files copied from an image (COPY --from).
/// </summary>
internal static class HostAccountNames
{
    private static readonly Lazy<Dictionary<uint, string>> Users = new(() => Read("/etc/passwd"));
    private static readonly Lazy<Dictionary<uint, string>> Groups = new(() => Read("/etc/group"));

    public static string User(uint uid) => Users.Value.GetValueOrDefault(uid, "");

    public static string Group(uint gid) => Groups.Value.GetValueOrDefault(gid, "");

    /// <summary><c>name:password:id:…</c> lines; the first name for an id wins.</summary>
    private static Dictionary<uint, string> Read(string path)
    {
        var names = new Dictionary<uint, string>();
        if (!File.Exists(path)) return names;
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(':');
            if (fields.Length > 2 && uint.TryParse(fields[2], out var id)) names.TryAdd(id, fields[0]);
        }
        return names;
    }
}
