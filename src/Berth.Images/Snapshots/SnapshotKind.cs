namespace Berth.Images.Snapshots;

public enum SnapshotKind
{
    /// <summary>Writable; its content may still change.</summary>
    Active,
    /// <summary>Read-only view of a committed parent.</summary>
    View,
    /// <summary>Frozen; may be the parent of other snapshots.</summary>
    Committed,
}
