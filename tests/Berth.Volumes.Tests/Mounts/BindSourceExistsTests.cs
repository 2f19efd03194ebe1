using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class BindSourceExistsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("berth-mounts-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_directory_or_file_that_exists_passes()
    {
        File.WriteAllText(Path.Combine(root, "file"), "");
        MountParser.CheckBindSourceExists(Bind(root));
        MountParser.CheckBindSourceExists(Bind(Path.Combine(root, "file")));
    }

    [Fact]
    public void A_missing_source_is_refused()
    {
        var missing = Path.Combine(root, "nope");
        Assert.Equal(
            $"invalid mount config for type \"bind\": bind source path does not exist: {missing}",
            Refused.Message(() => MountParser.CheckBindSourceExists(Bind(missing))));
    }

    [Fact]
    public void A_link_counts_by_what_it_points_at()
    {
        var good = Path.Combine(root, "good");
        var dangling = Path.Combine(root, "dangling");
        File.CreateSymbolicLink(good, root);
        File.CreateSymbolicLink(dangling, Path.Combine(root, "nowhere"));
        MountParser.CheckBindSourceExists(Bind(good));
        Assert.Contains("bind source path does not exist", Refused.Message(() => MountParser.CheckBindSourceExists(Bind(dangling))), StringComparison.Ordinal);
    }

    [Fact]
    public void Volumes_and_tmpfs_have_no_source_to_check()
    {
        MountParser.CheckBindSourceExists(MountParser.ParseBind("vol:/x"));
        MountParser.CheckBindSourceExists(MountParser.ParseTmpfs("/x", ""));
    }

    private static MountRequest Bind(string source) => new() { Kind = MountKind.Bind, Source = source, Target = "/mnt" };
}
