namespace Berth.Dockerfile;

/// <summary>One source of a COPY/ADD after wildcards and symlinks: where it really is in the context, the name it is copied under, its checksum.</summary>
internal sealed record CopySource(string Resolved, string Name, FileStatus Status, string Checksum);
