using Berth.Images.Native;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// What dockerd's init layer holds, between the image and the container's writable layer:
    /// the mount points the runtime binds over (so runc creates nothing in the writable layer,
    /// and diff and commit never see them) and <c>/.dockerenv</c>. Directories, empty files
    /// (0755, as dockerd makes them) and one symlink.
    /// </summary>
    private static readonly (string Path, string? Kind)[] InitEntries =
    [
        ("dev/pts", null),
        ("dev/shm", null),
        ("proc", null),
        ("sys", null),
        (".dockerenv", ""),
        ("etc/resolv.conf", ""),
        ("etc/hosts", ""),
        ("etc/hostname", ""),
        ("dev/console", ""),
        ("etc/mtab", "/proc/mounts"),
    ];

    private const UnixFileMode Mode0755 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The snapshot key of a container's init layer.</summary>
    internal static string InitSnapshotKey(string id) => SnapshotKey(id) + "-init";

    private static string InitPrepareKey(string id) => InitSnapshotKey(id) + "-prepare";

    /// <summary>Makes a container's root: its init layer on the image's top layer, and its writable snapshot on that.</summary>
    private async Task PrepareRootAsync(string id, string? imageTopLayer, CancellationToken ct)
    {
        await images.Snapshots.PrepareAsync(InitPrepareKey(id), imageTopLayer, ct).ConfigureAwait(false);
        WriteInitEntries(images.Snapshots.ContentDirectory(InitPrepareKey(id)));
        // Not flushed: it is as disposable as the writable layer above it, which is not flushed either.
        await images.Snapshots.CommitAsync(InitSnapshotKey(id), InitPrepareKey(id), ct, flushToDisk: false).ConfigureAwait(false);
        await images.Snapshots.PrepareAsync(SnapshotKey(id), InitSnapshotKey(id), ct).ConfigureAwait(false);
    }

    /// <summary>As dockerd's <c>initlayer.Setup</c>: non-directories on the way are replaced (vfs layers start as full copies), missing parents made 0755.</summary>
    private static void WriteInitEntries(string root)
    {
        // Whole seconds: vfs copies keep times to 100 ns only, and a finer time would make every entry look changed in the copy.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        foreach (var (path, kind) in InitEntries)
        {
            var parts = path.Split('/');
            for (var i = 1; i <= parts.Length; i++)
            {
                var prefix = root + "/" + string.Join('/', parts[..i]);
                if (Libc.TryLStat(prefix, out var st) && !st.IsDirectory) File.Delete(prefix);
            }
            var full = root + "/" + path;
            if (Libc.TryLStat(full, out _)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(full)!, Mode0755);
            switch (kind)
            {
                case null:
                    Directory.CreateDirectory(full, Mode0755);
                    break;
                case "":
                    using (File.Create(full)) File.SetUnixFileMode(full, Mode0755);
                    break;
                default:
                    File.CreateSymbolicLink(full, kind);
                    break;
            }
            Libc.LUtimes(full, now, now);
        }
    }

    /// <summary>Removes a container's snapshots, writable first; safe when any of them is missing.</summary>
    private async Task RemoveRootAsync(string id, CancellationToken ct)
    {
        foreach (var key in new[] { SnapshotKey(id), InitSnapshotKey(id), InitPrepareKey(id) })
            if (images.Snapshots.Stat(key) is not null)
                await images.Snapshots.RemoveAsync(key, ct).ConfigureAwait(false);
    }
}
