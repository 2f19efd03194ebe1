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
public sealed class OverlaySnapshotter : ISnapshotter
{
    private const string LinkDirectory = "l";
    private const int LinkNameLength = 16;
    private const int MaxDepth = 125;
    private readonly string _root;
    private readonly SnapshotMetadata _metadata;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public OverlaySnapshotter(string root)
    {
        _root = Path.GetFullPath(root);
        Directories.CreatePrivate(_root);
        Directories.CreatePrivate(Path.Combine(_root, LinkDirectory));
        _metadata = new SnapshotMetadata(_root);
        foreach (var orphan in _metadata.OrphanDirectories(name => name == LinkDirectory))
            Directories.DeleteTree(orphan);
        foreach (var link in new DirectoryInfo(Path.Combine(_root, LinkDirectory)).EnumerateFileSystemInfos())
            if (!Directory.Exists(Path.Combine(_root, LinkDirectory, link.LinkTarget ?? "."))) link.Delete();
        Status = [
            ["Backing Filesystem", BackingFilesystem.Describe(_root)],
            ["Supports d_type", "true"],
            ["Native Overlay Diff", "true"],
            ["userxattr", "false"],
        ];
    }

    public string Name => "overlay2";
    public WhiteoutMode WhiteoutMode => WhiteoutMode.Overlay;
    public IReadOnlyList<string[]> Status { get; }

    /// <summary>Checks that the kernel mounts overlayfs on this data root; throws a message that says what to do otherwise.</summary>
    public static async Task VerifySupportedAsync(string root, CancellationToken ct)
    {
        if (!File.ReadAllText("/proc/filesystems").Contains("\toverlay\n", StringComparison.Ordinal))
            throw BerthException.System("overlay2 needs overlayfs, which this kernel does not provide; start berthd with --storage-driver vfs");
        if (BackingFilesystem.Describe(root) == "overlayfs")
            throw BerthException.System($"overlay2 cannot use {root}, which is itself on overlayfs; use another --data-root or --storage-driver vfs");
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

    public Task<IReadOnlyList<Mount>> PrepareAsync(string key, string? parent, CancellationToken ct) =>
        CreateAsync(key, parent, SnapshotKind.Active, ct);

    public Task<IReadOnlyList<Mount>> ViewAsync(string key, string? parent, CancellationToken ct) =>
        CreateAsync(key, parent, SnapshotKind.View, ct);

    private async Task<IReadOnlyList<Mount>> CreateAsync(string key, string? parent, SnapshotKind kind, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_metadata.Get(key) is not null) throw BerthException.Conflict($"snapshot {key} already exists");
            var lowers = new List<string>();
            if (parent is not null)
            {
                var parentInfo = _metadata.Get(parent) ?? throw BerthException.NotFound($"parent snapshot {parent} does not exist");
                if (parentInfo.Kind != SnapshotKind.Committed) throw BerthException.InvalidParameter($"parent snapshot {parent} is not committed");
                var parentDir = Path.Combine(_root, parentInfo.Id);
                lowers.Add($"{LinkDirectory}/{File.ReadAllText(Path.Combine(parentDir, "link"))}");
                var parentLower = Path.Combine(parentDir, "lower");
                if (File.Exists(parentLower)) lowers.AddRange(File.ReadAllText(parentLower).Split(':'));
                if (lowers.Count > MaxDepth) throw BerthException.InvalidParameter($"max depth exceeded: an image may have at most {MaxDepth} layers");
            }
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var dir = Path.Combine(_root, id);
            Directory.CreateDirectory(Path.Combine(dir, "diff"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Directory.CreateDirectory(Path.Combine(dir, "work"));
            var link = NewLinkName();
            AtomicFile.WriteAllText(Path.Combine(dir, "link"), link);
            File.CreateSymbolicLink(Path.Combine(_root, LinkDirectory, link), $"../{id}/diff");
            if (lowers.Count > 0) AtomicFile.WriteAllText(Path.Combine(dir, "lower"), string.Join(':', lowers));
            var info = new SnapshotInfo(key, parent, kind, id);
            _metadata.Put(info);
            return MountsOf(info);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task CommitAsync(string name, string key, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var info = _metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist");
            if (info.Kind != SnapshotKind.Active) throw BerthException.InvalidParameter($"snapshot {key} is not active");
            if (_metadata.Get(name) is not null) throw BerthException.Conflict($"snapshot {name} already exists");
            _metadata.Rename(key, info with { Key = name, Kind = SnapshotKind.Committed });
        }
        finally
        {
            _lock.Release();
        }
    }

    public IReadOnlyList<Mount> Mounts(string key) =>
        MountsOf(_metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist"));

    private IReadOnlyList<Mount> MountsOf(SnapshotInfo info)
    {
        var dir = Path.Combine(_root, info.Id);
        var lowerFile = Path.Combine(dir, "lower");
        var lowers = File.Exists(lowerFile) ? File.ReadAllText(lowerFile).Split(':').Select(l => Path.Combine(_root, l)).ToList() : [];
        if (info.Kind == SnapshotKind.View)
        {
            if (lowers.Count == 0) return [new Mount("bind", Path.Combine(dir, "diff"), ["rbind", "ro"])];
            if (lowers.Count == 1) return [new Mount("bind", lowers[0], ["rbind", "ro"])];
            return [new Mount("overlay", "overlay", [$"lowerdir={string.Join(':', lowers)}"])];
        }
        if (info.Kind == SnapshotKind.Committed || lowers.Count == 0)
            return [new Mount("bind", Path.Combine(dir, "diff"), ["rbind", info.Kind == SnapshotKind.Committed ? "ro" : "rw"])];
        return [new Mount("overlay", "overlay", [
            $"lowerdir={string.Join(':', lowers)}",
            $"upperdir={Path.Combine(dir, "diff")}",
            $"workdir={Path.Combine(dir, "work")}",
        ])];
    }

    public async Task RemoveAsync(string key, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var info = _metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist");
            if (_metadata.HasChildren(key)) throw BerthException.Conflict($"snapshot {key} has children");
            var dir = Path.Combine(_root, info.Id);
            _metadata.Delete(info);
            var linkFile = Path.Combine(dir, "link");
            if (File.Exists(linkFile)) File.Delete(Path.Combine(_root, LinkDirectory, File.ReadAllText(linkFile)));
            await Task.Run(() => Directories.DeleteTree(dir), ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task<long> UsageAsync(string key, CancellationToken ct) =>
        Task.Run(() => DirectorySize.Of(ContentDirectory(key)), ct);

    public string ContentDirectory(string key) =>
        Path.Combine(_root, (_metadata.Get(key) ?? throw BerthException.NotFound($"snapshot {key} does not exist")).Id, "diff");

    public SnapshotInfo? Stat(string key) => _metadata.Get(key);

    public IReadOnlyList<SnapshotInfo> List() => _metadata.All();

    public IReadOnlyDictionary<string, string>? DriverData(string key)
    {
        var info = _metadata.Get(key);
        if (info is null) return null;
        var dir = Path.Combine(_root, info.Id);
        var data = new Dictionary<string, string>
        {
            ["MergedDir"] = Path.Combine(dir, "merged"),
            ["UpperDir"] = Path.Combine(dir, "diff"),
            ["WorkDir"] = Path.Combine(dir, "work"),
        };
        var lowerFile = Path.Combine(dir, "lower");
        if (File.Exists(lowerFile))
        {
            data["LowerDir"] = string.Join(':', File.ReadAllText(lowerFile).Split(':').Select(l =>
                Path.GetFullPath(Path.Combine(_root, LinkDirectory, new FileInfo(Path.Combine(_root, l)).LinkTarget ?? l))));
        }
        return data;
    }

    private string NewLinkName()
    {
        while (true)
        {
            // Base32 keeps names short and case-insensitive-safe; 80 random bits make clashes negligible.
            var name = Base32(RandomNumberGenerator.GetBytes(10))[..LinkNameLength];
            if (!Libc.TryLStat(Path.Combine(_root, LinkDirectory, name), out _)) return name;
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
