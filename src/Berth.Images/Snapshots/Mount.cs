namespace Berth.Images.Snapshots;

/// <summary>One mount(2) call: filesystem type, source and options, with absolute paths.</summary>
public sealed record Mount(string Type, string Source, IReadOnlyList<string> Options);
