using Berth.Images.Archive;
using Berth.Images.Native;

namespace Berth.Images.Tests;

public class FilesystemChangesTests
{
    private static readonly DateTimeOffset Then = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    /// <summary>An image-like tree: bin/{sh,vi}, etc/group, root/; every time set to <see cref="Then"/>.</summary>
    private static void WriteBase(string root)
    {
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        Directory.CreateDirectory(Path.Combine(root, "root"));
        File.WriteAllText(Path.Combine(root, "bin", "sh"), "sh");
        File.WriteAllText(Path.Combine(root, "bin", "vi"), "vi");
        File.WriteAllText(Path.Combine(root, "etc", "group"), "root:x:0:\n");
        foreach (var path in new[] { "bin/sh", "bin/vi", "etc/group", "bin", "etc", "root" })
            Libc.LUtimes(Path.Combine(root, path), Then, Then);
    }

    [Fact]
    public void Overlay_whiteouts_are_deletions_and_paths_known_below_are_modifications()
    {
        using var lower = new TempDirectory();
        using var upper = new TempDirectory();
        WriteBase(lower.Path);
        // What a container's writes leave in the upper directory: /bin copied up unchanged around a
        // whiteout for vi, /etc changed with a modified and a new file, a new directory tree under /root.
        Directory.CreateDirectory(upper.Combine("bin"));
        Libc.MkNod(upper.Combine("bin", "vi"), Libc.S_IFCHR, 0, 0, 0);
        Libc.LUtimes(upper.Combine("bin"), Then, Then);
        Directory.CreateDirectory(upper.Combine("etc"));
        File.WriteAllText(upper.Combine("etc", "group"), "root:x:0:\nchanged\n");
        File.WriteAllText(upper.Combine("etc", "newfile"), "new\n");
        Directory.CreateDirectory(upper.Combine("root", ".cache", "x"));

        var changes = FilesystemChanges.OfOverlay(upper.Path, [lower.Path]);

        Assert.Equal(
        [
            new("/bin", ChangeKind.Modify), new("/bin/vi", ChangeKind.Delete),
            new("/etc", ChangeKind.Modify), new("/etc/group", ChangeKind.Modify), new("/etc/newfile", ChangeKind.Add),
            new("/root", ChangeKind.Modify), new("/root/.cache", ChangeKind.Add), new("/root/.cache/x", ChangeKind.Add),
        ], changes);
    }

    [Fact]
    public void Overlay_opaque_directories_are_deletions_and_an_empty_upper_has_no_changes()
    {
        using var lower = new TempDirectory();
        using var upper = new TempDirectory();
        WriteBase(lower.Path);
        Assert.Empty(FilesystemChanges.OfOverlay(upper.Path, [lower.Path]));

        Directory.CreateDirectory(upper.Combine("etc"));
        Libc.LSetXattr(upper.Combine("etc"), Whiteouts.OverlayOpaqueXattr, "y"u8.ToArray());
        Assert.Equal([new FilesystemChange("/etc", ChangeKind.Delete)], FilesystemChanges.OfOverlay(upper.Path, [lower.Path]));
    }

    [Fact]
    public void Full_copies_are_compared_as_dockerd_compares_them()
    {
        using var older = new TempDirectory();
        using var newer = new TempDirectory();
        WriteBase(older.Path);
        WriteBase(newer.Path);
        File.Delete(newer.Combine("bin", "vi"));
        File.WriteAllText(newer.Combine("etc", "group"), "root:x:0:\nchanged\n");
        File.WriteAllText(newer.Combine("etc", "newfile"), "new\n");
        Directory.CreateDirectory(newer.Combine("root", ".cache", "x"));
        // A directory's own time is no change (moby#9874): only what is below it counts.
        Libc.LUtimes(newer.Combine("bin"), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);

        var changes = FilesystemChanges.Between(newer.Path, older.Path);

        Assert.Equal(
        [
            new("/bin", ChangeKind.Modify), new("/bin/vi", ChangeKind.Delete),
            new("/etc", ChangeKind.Modify), new("/etc/group", ChangeKind.Modify), new("/etc/newfile", ChangeKind.Add),
            new("/root", ChangeKind.Modify), new("/root/.cache", ChangeKind.Add), new("/root/.cache/x", ChangeKind.Add),
        ], changes);
        Assert.Empty(FilesystemChanges.Between(older.Path, older.Path));
    }
}
