using System.Security.Cryptography;
using Berth.Api.Errors;
using Berth.Images.Archive;
using Berth.Images.Native;
using Berth.Images.Storage;

namespace Berth.Images.Snapshots;

/// <summary>
/// overlay2: every snapshot is a directory <c>ID/</c> holding <c>diff/</c> (its own content, an
/// overlay upper directory), <c>work/</c> and <c>lower</c> (its parents, top first, as short links).
/// <c>l/NAME</c> links to <c>ID/diff</c>: mounting with those short names keeps the option string of
/// a deep image under the kernel's page-size limit, as dockerd's overlay2 does.
/// </summary>
public sealed class OverlaySnapshotter : SnapshotterBase
{
    private const string LinkDirectory = "l";
    private const int LinkNameLength = 16;
    private const int MaxDepth = 125;

    public OverlaySnapshotter(string root) : base(root)
    {
        Directories.CreatePrivate(Path.Combine(Root, LinkDirectory));
        RemoveOrphans(name => name == LinkDirectory);
        foreach (var link in new DirectoryInfo(Path.Combine(Root, LinkDirectory)).EnumerateFileSystemInfos())
            if (!Directory.Exists(Path.Combine(Root, LinkDirectory, link.LinkTarget ?? "."))) link.Delete();
        Status = [
            ["Backing Filesystem", BackingFilesystem.Describe(Root)],
            ["Supports d_type", Libc.SupportsDirectoryEntryTypes(Root) ? "true" : "false"],
            ["Native Overlay Diff", "true"],
            ["userxattr", "false"],
        ];
    }

    public override string Name => "overlay2";
    public override WhiteoutMode WhiteoutMode => WhiteoutMode.Overlay;
    public override IReadOnlyList<string[]> Status { get; }
    protected override string ContentSubdirectory => "diff";

    /// <summary>Checks that the kernel mounts overlayfs on this data root; throws a message that says what to do otherwise.</summary>
    public static async Task VerifySupportedAsync(string root, CancellationToken ct)
    {
        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay\n", StringComparison.Ordinal))
            throw BerthException.System("overlay2 needs overlayfs, which this kernel does not provide; start berthd with --storage-driver vfs");
        if (BackingFilesystem.Describe(root) == "overlayfs")
            throw BerthException.System($"overlay2 cannot use {root}, which is itself on overlayfs; use another --data-root or --storage-driver vfs");
        if (!Libc.SupportsDirectoryEntryTypes(root))
            throw BerthException.System($"overlay2 needs a backing filesystem that reports file types (d_type), which the one under {root} does not; use --storage-driver vfs");
        var probe = Directories.CreateTemp(root, "probe-");
        try
        {
            foreach (var d in new[] { "lower", "upper", "work", "merged" }) Directory.CreateDirectory(Path.Combine(probe, d));
            var mount = new Mount("overlay", "overlay", [$"lowerdir={probe}/lower", $"upperdir={probe}/upper", $"workdir={probe}/work"]);
            await Mounter.MountAsync([mount], Path.Combine(probe, "merged"), ct).ConfigureAwait(false);
            Mounter.Unmount(Path.Combine(probe, "merged"));
        }
        catch (IOException e)
        {
            throw BerthException.System($"overlay2 cannot mount on {root} ({e.Message}); use --storage-driver vfs");
        }
        finally
        {
            Directories.DeleteTree(probe);
        }
    }

    protected override Task CreateDirectoryAsync(string directory, SnapshotInfo? parent, CancellationToken ct)
    {
        var lowers = new List<string>();
        if (parent is not null)
        {
            var parentDir = Path.Combine(Root, parent.Id);
            lowers.Add($"{LinkDirectory}/{File.ReadAllText(Path.Combine(parentDir, "link"))}");
            var parentLower = Path.Combine(parentDir, "lower");
            if (File.Exists(parentLower)) lowers.AddRange(File.ReadAllText(parentLower).Split(':'));
            if (lowers.Count > MaxDepth) throw BerthException.InvalidParameter($"max depth exceeded: an image may have at most {MaxDepth} layers");
        }
        Directory.CreateDirectory(Path.Combine(directory, ContentSubdirectory), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(directory, "work"));
        var link = NewLinkName();
        // Not flushed: the snapshot is active until committed, and its content is not flushed either.
        AtomicFile.WriteAllText(Path.Combine(directory, "link"), link, flushToDisk: false);
        File.CreateSymbolicLink(Path.Combine(Root, LinkDirectory, link), $"../{Path.GetFileName(directory)}/{ContentSubdirectory}");
        if (lowers.Count > 0) AtomicFile.WriteAllText(Path.Combine(directory, "lower"), string.Join(':', lowers), flushToDisk: false);
        return Task.CompletedTask;
    }

    protected override void BeforeDelete(string directory)
    {
        var linkFile = Path.Combine(directory, "link");
        if (File.Exists(linkFile)) File.Delete(Path.Combine(Root, LinkDirectory, File.ReadAllText(linkFile)));
    }

    protected override IReadOnlyList<Mount> MountsOf(SnapshotInfo info)
    {
        var dir = Path.Combine(Root, info.Id);
        var lowers = Lowers(dir);
        if (info.Kind == SnapshotKind.View)
        {
            if (lowers.Count == 0) return [new Mount("bind", Path.Combine(dir, ContentSubdirectory), ["rbind", "ro"])];
            if (lowers.Count == 1) return [new Mount("bind", lowers[0], ["rbind", "ro"])];
            return [new Mount("overlay", "overlay", [$"lowerdir={string.Join(':', lowers)}"])];
        }
        if (info.Kind == SnapshotKind.Committed || lowers.Count == 0)
            return [new Mount("bind", Path.Combine(dir, ContentSubdirectory), ["rbind", info.Kind == SnapshotKind.Committed ? "ro" : "rw"])];
        return [new Mount("overlay", "overlay", [
            $"lowerdir={string.Join(':', lowers)}",
            $"upperdir={Path.Combine(dir, ContentSubdirectory)}",
            $"workdir={Path.Combine(dir, "work")}",
        ])];
    }

    /// <summary>The parents' short link paths, top first.</summary>
    private List<string> Lowers(string directory)
    {
        var lowerFile = Path.Combine(directory, "lower");
        return File.Exists(lowerFile) ? File.ReadAllText(lowerFile).Split(':').Select(l => Path.Combine(Root, l)).ToList() : [];
    }

    public override IReadOnlyDictionary<string, string>? DriverData(string key)
    {
        var info = Metadata.Get(key);
        if (info is null) return null;
        var dir = Path.Combine(Root, info.Id);
        var data = new Dictionary<string, string>
        {
            ["MergedDir"] = Path.Combine(dir, "merged"),
            ["UpperDir"] = Path.Combine(dir, ContentSubdirectory),
            ["WorkDir"] = Path.Combine(dir, "work"),
        };
        var lowers = Lowers(dir);
        if (lowers.Count > 0)
            data["LowerDir"] = string.Join(':', lowers.Select(l => Path.GetFullPath(Path.Combine(Root, LinkDirectory, new FileInfo(l).LinkTarget ?? l))));
        return data;
    }

    private string NewLinkName()
    {
        while (true)
        {
            // Base32 keeps names short and free of characters that need escaping; 80 random bits make clashes negligible.
            var name = Base32(RandomNumberGenerator.GetBytes(10))[..LinkNameLength];
            if (!Libc.TryLStat(Path.Combine(Root, LinkDirectory, name), out _)) return name;
        }
    }

    private static string Base32(byte[] bytes)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return sb.ToString();
    }
}
