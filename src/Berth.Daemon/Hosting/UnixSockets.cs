using System.Net.Sockets;
using Berth.Daemon.Configuration;
using Berth.Images.Native;

namespace Berth.Daemon.Hosting;

/// <summary>Unix socket housekeeping around Kestrel: stale files, ownership and mode.</summary>
public static class UnixSockets
{
    /// <summary>Removes a socket file nobody listens on; refuses to touch one that a live daemon serves.</summary>
    public static async Task ClearStaleAsync(string path)
    {
        if (!File.Exists(path)) return;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(path)).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }
        throw new ConfigurationException($"another daemon is already listening on unix://{path}");
    }

    /// <summary>Gives the socket mode 0660 and the named group, when that group exists (as dockerd does with "docker").</summary>
    public static void SetAccess(string path, string group)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        if (GroupId(group) is { } gid) Libc.LChown(path, -1, gid);
    }

    private static int? GroupId(string group)
    {
        if (!File.Exists("/etc/group")) return null;
        foreach (var line in File.ReadLines("/etc/group"))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == group && int.TryParse(fields[2], out var gid)) return gid;
        }
        return null;
    }
}
