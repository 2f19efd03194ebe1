using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class ConfigVolumeTests
{
    [Fact]
    public void Each_path_becomes_an_anonymous_volume_with_the_container_s_driver()
    {
        var volumes = MountParser.ParseConfigVolumes(["/data", "/logs/"], [], "local");
        Assert.Equal(["/data", "/logs"], volumes.Select(v => v.Target));
        Assert.All(volumes, v =>
        {
            Assert.Equal(MountKind.Volume, v.Kind);
            Assert.Equal("", v.Source);
            Assert.Equal("local", v.VolumeDriver);
            Assert.False(v.FromBinds);
        });
    }

    [Fact]
    public void Paths_already_mounted_are_skipped()
    {
        var mounted = new[] { MountParser.ParseBind("/host:/data"), MountParser.ParseTmpfs("/run", "") };
        var volumes = MountParser.ParseConfigVolumes(["/data/", "/run", "/cache"], mounted);
        Assert.Equal(["/cache"], volumes.Select(v => v.Target));
    }

    [Fact]
    public void Paths_that_clean_to_the_same_target_make_one_volume() =>
        Assert.Single(MountParser.ParseConfigVolumes(["/data", "/data/", "/x/../data"], []));

    [Fact]
    public void A_relative_path_is_taken_from_the_root() =>
        Assert.Equal("/data", MountParser.ParseConfigVolumes(["data"], []).Single().Target);
}
