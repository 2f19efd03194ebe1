using Berth.Images.Native;

namespace Berth.Images.Snapshots;

/// <summary>
/// Performs the mounts a snapshotter describes. An overlay whose option string would pass the
/// kernel's one-page limit is mounted with paths relative to the directory its layers share,
/// from a thread that has its own working directory (unshare CLONE_FS), so no other thread's
/// working directory moves and no helper process is spawned.
/// </summary>
public static class Mounter
{
    private const ulong MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;
    private static readonly int PageSize = Environment.SystemPageSize;

    public static async Task MountAsync(IReadOnlyList<Mount> mounts, string target, CancellationToken ct)
    {
        foreach (var mount in mounts)
        {
            ct.ThrowIfCancellationRequested();
            switch (mount.Type)
            {
                case "bind":
                    var flags = MS_BIND | (mount.Options.Contains("rbind") ? MS_REC : 0);
                    Libc.Mount(mount.Source, target, null, flags, null);
                    if (mount.Options.Contains("ro"))
                        Libc.Mount("", target, null, MS_BIND | MS_REMOUNT | MS_RDONLY | (flags & MS_REC), null);
                    break;
                case "overlay":
                    await MountOverlayAsync(mount, target).ConfigureAwait(false);
                    break;
                default:
                    Libc.Mount(mount.Source, target, mount.Type, 0, string.Join(',', mount.Options));
                    break;
            }
        }
    }

    public static void Unmount(string target) => Libc.Unmount(target, detach: false);

    private static Task MountOverlayAsync(Mount mount, string target)
    {
        var data = string.Join(',', mount.Options);
        if (data.Length < PageSize - 1)
        {
            Libc.Mount("overlay", target, "overlay", 0, data);
            return Task.CompletedTask;
        }
        var (baseDirectory, relative) = OverlayOptions.Relativize(mount.Options);
        if (relative.Length >= PageSize - 1)
            throw new IOException($"overlay mount options for {target} are {relative.Length} bytes even with relative paths; the kernel takes at most {PageSize - 1}");
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Libc.UnshareFileSystemAttributes();
                Libc.ChangeDirectory(baseDirectory);
                Libc.Mount("overlay", Path.GetFullPath(target), "overlay", 0, relative);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        { IsBackground = true, Name = "overlay-mount" };
        thread.Start();
        return done.Task;
    }
}
