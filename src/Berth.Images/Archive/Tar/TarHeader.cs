namespace Berth.Images.Archive.Tar;

/// <summary>One tar entry's metadata, with PAX and GNU extensions already applied.</summary>
public sealed class TarHeader
{
    public required string Name { get; set; }
    public TarEntryKind Kind { get; set; } = TarEntryKind.Regular;
    public string LinkName { get; set; } = "";
    public long Size { get; set; }
    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public int Mode { get; set; }
    public int Uid { get; set; }
    public int Gid { get; set; }
    public string UserName { get; set; } = "";
    public string GroupName { get; set; } = "";
    public DateTimeOffset ModTime { get; set; } = DateTimeOffset.UnixEpoch;
    public int DevMajor { get; set; }
    public int DevMinor { get; set; }
    /// <summary>Extended attributes (PAX <c>SCHILY.xattr.*</c>) with their raw, possibly binary, values.</summary>
    public Dictionary<string, byte[]> Xattrs { get; } = new(StringComparer.Ordinal);

    public bool IsRegular => Kind is TarEntryKind.Regular or TarEntryKind.RegularV7 or TarEntryKind.Contiguous;
}
