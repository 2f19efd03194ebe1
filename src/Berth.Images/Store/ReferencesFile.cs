namespace Berth.Images.Store;

/// <summary>The on-disk form of the reference store: each full reference string to an image ID.</summary>
public sealed class ReferencesFile
{
    public Dictionary<string, string> References { get; set; } = [];
}
