namespace Berth.Images.Snapshots;

/// <summary>What a snapshotter knows of one snapshot.</summary>
public sealed record SnapshotInfo(string Key, string? Parent, SnapshotKind Kind, string Id);
