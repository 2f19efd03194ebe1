using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class BindParsingTests
{
    [Fact]
    public void An_absolute_source_is_a_bind_read_write_with_rprivate_propagation()
    {
        var bind = MountParser.ParseBind("/home:/data");
        Assert.Equal(MountKind.Bind, bind.Kind);
        Assert.Equal("/home", bind.Source);
        Assert.Equal("/data", bind.Target);
        Assert.False(bind.ReadOnly);
        Assert.Equal("rprivate", bind.Propagation);
        Assert.Equal("", bind.Mode);
        Assert.True(bind.FromBinds);
    }

    [Fact]
    public void A_name_is_a_named_volume_without_propagation()
    {
        var volume = MountParser.ParseBind("data:/var/lib/data");
        Assert.Equal(MountKind.Volume, volume.Kind);
        Assert.Equal("data", volume.Source);
        Assert.Equal("/var/lib/data", volume.Target);
        Assert.Equal("", volume.Propagation);
        Assert.Equal("", volume.VolumeDriver);
        Assert.False(volume.NoCopy);
        Assert.True(volume.FromBinds);
    }

    [Fact]
    public void A_destination_alone_is_a_new_anonymous_volume()
    {
        var volume = MountParser.ParseBind("/cache");
        Assert.Equal(MountKind.Volume, volume.Kind);
        Assert.Equal("", volume.Source);
        Assert.Equal("/cache", volume.Target);
        Assert.False(volume.ReadOnly);
    }

    [Theory]
    [InlineData("/with space")]
    [InlineData("/home:/with space")]
    [InlineData("/rw:/ro")]
    [InlineData("hostPath:/containerPath:ro")]
    [InlineData("/hostPath:/containerPath:rw")]
    [InlineData("/hostPath:/containerPath:shared")]
    [InlineData("/hostPath:/containerPath:rshared")]
    [InlineData("/hostPath:/containerPath:slave")]
    [InlineData("/hostPath:/containerPath:rslave")]
    [InlineData("/hostPath:/containerPath:private")]
    [InlineData("/hostPath:/containerPath:rprivate")]
    [InlineData("/hostPath:/containerPath:ro,z,shared")]
    [InlineData("/hostPath:/containerPath:Z,slave,ro")]
    [InlineData("/hostPath:/containerPath:rslave,ro,Z")]
    [InlineData("/hostPath:/containerPath:cached")]
    [InlineData("/hostPath:/containerPath:ro,delegated")]
    [InlineData("/hostPath:/containerPath:consistent")]
    [InlineData("name:/containerPath:nocopy")]
    [InlineData("name:/containerPath:ro,nocopy,z")]
    [InlineData("/hostPath:/containerPath:")]
    public void Docker_accepts(string spec) => MountParser.ParseBind(spec);

    [Theory]
    [InlineData("/src:/dst:ro", true)]
    [InlineData("/src:/dst:rw", false)]
    [InlineData("/src:/dst:z,ro", true)]
    [InlineData("/src:/dst:Z", false)]
    [InlineData("vol:/dst:ro", true)]
    public void Ro_anywhere_in_the_mode_makes_it_read_only(string spec, bool readOnly) =>
        Assert.Equal(readOnly, MountParser.ParseBind(spec).ReadOnly);

    [Theory]
    [InlineData("/src:/dst:ro,z", "ro,z")]
    [InlineData("/src:/dst:Z", "Z")]
    [InlineData("vol:/dst:nocopy", "nocopy")]
    public void The_mode_is_kept_as_written(string spec, string mode) =>
        Assert.Equal(mode, MountParser.ParseBind(spec).Mode);

    [Theory]
    [InlineData("/src:/dst:shared", "shared")]
    [InlineData("/src:/dst:ro,rslave,Z", "rslave")]
    [InlineData("/src:/dst:private", "private")]
    [InlineData("/src:/dst:ro", "rprivate")]
    public void A_bind_takes_the_propagation_of_its_mode(string spec, string propagation) =>
        Assert.Equal(propagation, MountParser.ParseBind(spec).Propagation);

    [Fact]
    public void Nocopy_marks_a_volume_not_to_be_filled_from_the_image() =>
        Assert.True(MountParser.ParseBind("vol:/dst:nocopy").NoCopy);

    [Fact]
    public void The_volume_driver_goes_to_named_and_anonymous_volumes_but_not_binds()
    {
        Assert.Equal("flocker", MountParser.ParseBind("name:/named", "flocker").VolumeDriver);
        Assert.Equal("flocker", MountParser.ParseBind("/anonymous", "flocker").VolumeDriver);
        Assert.Equal("", MountParser.ParseBind("/src:/dst", "flocker").VolumeDriver);
    }

    [Theory]
    [InlineData("/home/:/data/", "/home", "/data")]
    [InlineData("/a//b/./c:/x/../y", "/a/b/c", "/y")]
    [InlineData("/a/..:/b/.", "/", "/b")]
    [InlineData("/src:/dst/sub/..//", "/src", "/dst")]
    public void Paths_are_cleaned(string spec, string source, string target)
    {
        var bind = MountParser.ParseBind(spec);
        Assert.Equal(source, bind.Source);
        Assert.Equal(target, bind.Target);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData("::")]
    [InlineData(":::")]
    [InlineData(":test")]
    [InlineData(":/test")]
    [InlineData(":test:")]
    [InlineData(":/tmp::")]
    [InlineData("/tmp:::")]
    [InlineData("/a:/b:ro:extra")]
    [InlineData("/tmp:")]
    [InlineData("tmp:")]
    [InlineData("/path:rw")]
    [InlineData("/path:ro")]
    [InlineData("/rw:rw")]
    [InlineData("path:ro")]
    [InlineData("/path:shared")]
    [InlineData("/path:slave")]
    [InlineData("/path:private")]
    [InlineData("/path:ro,z")]
    public void A_spec_of_the_wrong_shape_is_an_invalid_specification(string spec) =>
        Assert.Equal($"invalid volume specification: '{spec}'", Refused.Message(() => MountParser.ParseBind(spec)));

    [Theory]
    [InlineData("/path:/path:sw", "sw")]
    [InlineData("/path:/path:rwz", "rwz")]
    [InlineData("/path:/path:ro,rw", "ro,rw")]
    [InlineData("/path:/path:ro,rshared,rslave", "ro,rshared,rslave")]
    [InlineData("/path:/path:ro,z,rshared,rslave", "ro,z,rshared,rslave")]
    [InlineData("/path:/path:z,Z", "z,Z")]
    [InlineData("/path:/path:RO", "RO")]
    [InlineData("/path:/path:ro,", "ro,")]
    [InlineData("vol:/path:nocopy,nocopy", "nocopy,nocopy")]
    public void An_unknown_or_repeated_mode_is_an_invalid_mode(string spec, string mode) =>
        Assert.Equal($"invalid mode: {mode}", Refused.Message(() => MountParser.ParseBind(spec)));

    [Theory]
    [InlineData("vol:rel", "volume", "rel")]
    [InlineData("/src:rel/dir", "bind", "rel/dir")]
    [InlineData("/:path", "bind", "path")]
    [InlineData("/:../", "bind", "../")]
    [InlineData("./", "volume", "./")]
    [InlineData("../", "volume", "../")]
    [InlineData("/src:a\\b", "bind", "a/b")]
    public void A_relative_destination_is_refused(string spec, string type, string shown) =>
        Assert.Equal(
            $"invalid volume specification: '{spec}': invalid mount config for type \"{type}\": invalid mount path: '{shown}' mount path must be absolute",
            Refused.Message(() => MountParser.ParseBind(spec)));

    [Theory]
    [InlineData("/a:/", "bind")]
    [InlineData("/a:/x/..", "bind")]
    [InlineData("/a://", "bind")]
    [InlineData("vol:/", "volume")]
    [InlineData("/", "volume")]
    public void The_root_is_no_destination(string spec, string type) =>
        Assert.Equal(
            $"invalid volume specification: '{spec}': invalid mount config for type \"{type}\": invalid specification: destination can't be '/'",
            Refused.Message(() => MountParser.ParseBind(spec)));

    [Theory]
    [InlineData("name:/absolute-path:shared")]
    [InlineData("name:/absolute-path:rshared")]
    [InlineData("name:/absolute-path:slave")]
    [InlineData("name:/absolute-path:rslave")]
    [InlineData("name:/absolute-path:private")]
    [InlineData("name:/absolute-path:rprivate")]
    public void A_volume_takes_no_propagation(string spec) =>
        Assert.Equal(
            $"invalid volume specification: '{spec}': invalid mount config for type \"volume\": field BindOptions must not be specified",
            Refused.Message(() => MountParser.ParseBind(spec)));

    [Fact]
    public void A_bind_takes_no_nocopy() =>
        Assert.Equal(
            "invalid volume specification: '/src:/dst:nocopy': invalid mount config for type \"bind\": field VolumeOptions must not be specified",
            Refused.Message(() => MountParser.ParseBind("/src:/dst:nocopy")));

    [Theory]
    [InlineData("rel/dir:/data", "rel/dir")]
    [InlineData("./data:/data", "./data")]
    [InlineData("-vol:/data", "-vol")]
    [InlineData("hello world:/data", "hello world")]
    public void A_source_that_is_neither_a_path_nor_a_local_volume_name_is_refused_at_volume_creation(string spec, string name) =>
        Assert.Equal(
            $"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
            Refused.Message(() => MountParser.ParseBind(spec)));

    [Theory]
    [InlineData(".:/data", ".")]
    [InlineData("~:/data", "~")]
    [InlineData("a:/data", "a")]
    public void A_one_character_volume_name_is_too_short(string spec, string name) =>
        Assert.Equal(
            $"create {name}: volume name is too short, names should be at least two alphanumeric characters",
            Refused.Message(() => MountParser.ParseBind(spec)));

    [Fact]
    public void Names_are_left_to_a_volume_driver_other_than_local()
    {
        Assert.Equal("local/name", MountParser.ParseBind("local/name:/tmp:rw", "external").Source);
        Assert.Throws<Berth.Api.Errors.BerthException>(() => MountParser.ParseBind("local/name:/tmp:rw", "local"));
    }
}
