using Berth.Images.Archive;
using Berth.Images.Storage;

namespace Berth.Images.Snapshots;

/// <summary>
/// vfs: every snapshot is a full copy of its parent in <c>ID/fs</c>, so it works on any
/// filesystem and kernel at the cost of disk space and copy time. Deletions are carried out.
/// </summary>
public sealed class VfsSnapshotter : SnapshotterBase
{
    public VfsSnapshotter(string root) : base(root) => RemoveOrphans(_ => false);

    public override string Name => "vfs";
    public override WhiteoutMode WhiteoutMode => WhiteoutMode.Delete;
    public override IReadOnlyList<string[]> Status { get; } = [];
    protected override string ContentSubdirectory => "fs";

    protected override Task CreateDirectoryAsync(string directory, SnapshotInfo? parent, CancellationToken ct)
    {
        var fs = Path.Combine(directory, ContentSubdirectory);
        if (parent is null)
        {
            Directory.CreateDirectory(fs);
            return Task.CompletedTask;
        }
        var parentFs = Path.Combine(Root, parent.Id, ContentSubdirectory);
        return Task.Run(() => TreeCopier.Copy(parentFs, fs), ct);
    }

    protected override IReadOnlyList<Mount> MountsOf(SnapshotInfo info) =>
        [new Mount("bind", Path.Combine(Root, info.Id, ContentSubdirectory), ["rbind", info.Kind == SnapshotKind.Active ? "rw" : "ro"])];

    public override IReadOnlyDictionary<string, string>? DriverData(string key) => null;
}
