using Berth.Api.Wire.Containers;
using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class MountSpecParsingTests
{
    [Fact]
    public void A_bind_keeps_its_options_and_defaults_to_rprivate()
    {
        var bind = MountParser.ParseMount(new MountSpec { Type = "bind", Source = "/srv/app/", Target = "/app/./", ReadOnly = true });
        Assert.Equal(MountKind.Bind, bind.Kind);
        Assert.Equal("/srv/app", bind.Source);
        Assert.Equal("/app", bind.Target);
        Assert.True(bind.ReadOnly);
        Assert.Equal("rprivate", bind.Propagation);
        Assert.False(bind.NonRecursive);
        Assert.Equal("", bind.Mode);
        Assert.False(bind.FromBinds);
    }

    [Fact]
    public void A_bind_takes_its_propagation_and_recursion_from_bind_options()
    {
        var bind = MountParser.ParseMount(new MountSpec
        {
            Type = "bind", Source = "/srv", Target = "/srv",
            BindOptions = new MountBindOptions { Propagation = "rshared", NonRecursive = true },
        });
        Assert.Equal("rshared", bind.Propagation);
        Assert.True(bind.NonRecursive);
    }

    [Fact]
    public void Empty_bind_options_leave_the_default_propagation() =>
        Assert.Equal("rprivate", MountParser.ParseMount(new MountSpec
        {
            Type = "bind", Source = "/srv", Target = "/srv", BindOptions = new MountBindOptions(),
        }).Propagation);

    [Fact]
    public void A_volume_carries_its_driver_options_and_labels()
    {
        var volume = MountParser.ParseMount(new MountSpec
        {
            Type = "volume", Source = "data", Target = "/data",
            VolumeOptions = new MountVolumeOptions
            {
                NoCopy = true,
                Labels = new() { ["team"] = "db" },
                DriverConfig = new MountDriver { Name = "local", Options = new() { ["type"] = "tmpfs", ["device"] = "tmpfs" } },
            },
        });
        Assert.Equal(MountKind.Volume, volume.Kind);
        Assert.Equal("data", volume.Source);
        Assert.Equal("/data", volume.Target);
        Assert.True(volume.NoCopy);
        Assert.Equal("local", volume.VolumeDriver);
        Assert.Equal("tmpfs", volume.VolumeOptions["type"]);
        Assert.Equal("tmpfs", volume.VolumeOptions["device"]);
        Assert.Equal("db", volume.VolumeLabels["team"]);
        Assert.Equal("", volume.Propagation);
    }

    [Fact]
    public void A_volume_without_a_source_is_a_new_anonymous_volume()
    {
        var volume = MountParser.ParseMount(new MountSpec { Type = "volume", Target = "/cache" });
        Assert.Equal("", volume.Source);
        Assert.Empty(volume.VolumeOptions);
        Assert.Empty(volume.VolumeLabels);
    }

    [Fact]
    public void A_tmpfs_has_its_size_and_mode_as_dockerd_writes_them()
    {
        var tmpfs = MountParser.ParseMount(new MountSpec
        {
            Type = "tmpfs", Target = "/run", ReadOnly = true,
            TmpfsOptions = new MountTmpfsOptions { SizeBytes = 1 << 20, Mode = Convert.ToUInt32("1770", 8) },
        });
        Assert.Equal(MountKind.Tmpfs, tmpfs.Kind);
        Assert.Equal("/run", tmpfs.Target);
        Assert.Equal(1 << 20, tmpfs.TmpfsSize);
        Assert.Equal(Convert.ToInt32("1770", 8), tmpfs.TmpfsMode);
        Assert.Equal("ro,mode=1770,size=1m", tmpfs.TmpfsOptions);
        Assert.False(tmpfs.FromTmpfs);
    }

    [Fact]
    public void A_tmpfs_without_options_has_no_mode_and_no_data()
    {
        var tmpfs = MountParser.ParseMount(new MountSpec { Type = "tmpfs", Target = "/run" });
        Assert.Null(tmpfs.TmpfsMode);
        Assert.Equal(0, tmpfs.TmpfsSize);
        Assert.Equal("", tmpfs.TmpfsOptions);
    }

    [Fact]
    public void Consistency_is_accepted_and_ignored() =>
        MountParser.ParseMount(new MountSpec { Type = "bind", Source = "/a", Target = "/b", Consistency = "cached" });

    [Theory]
    [InlineData("bind")]
    [InlineData("volume")]
    [InlineData("tmpfs")]
    [InlineData("bogus")]
    [InlineData("")]
    public void The_target_is_required(string type) =>
        Assert.Equal(
            $"invalid mount config for type \"{type}\": field Target must not be empty",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = type, Source = "/a" })));

    [Theory]
    [InlineData("bogus")]
    [InlineData("")]
    [InlineData("npipe")]
    [InlineData("Bind")]
    public void An_unknown_type_is_refused(string type) =>
        Assert.Equal(
            $"invalid mount config for type \"{type}\": mount type unknown",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = type, Source = "/a", Target = "/b" })));

    [Fact]
    public void The_type_is_quoted_as_go_quotes_it() =>
        Assert.Equal(
            "invalid mount config for type \"a\\\"b\\n\": mount type unknown",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = "a\"b\n", Target = "/b" })));

    [Theory]
    [InlineData("bind", "/")]
    [InlineData("volume", "//")]
    [InlineData("tmpfs", "/tmp/..")]
    public void The_root_is_no_target(string type, string target) =>
        Assert.Equal(
            $"invalid mount config for type \"{type}\": invalid specification: destination can't be '/'",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = type, Source = type == "bind" ? "/a" : null, Target = target })));

    [Theory]
    [InlineData("bind", "rel")]
    [InlineData("volume", "rel/dir")]
    [InlineData("tmpfs", "run")]
    public void A_relative_target_is_refused(string type, string target) =>
        Assert.Equal(
            $"invalid mount config for type \"{type}\": invalid mount path: '{target}' mount path must be absolute",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = type, Source = type == "bind" ? "/a" : null, Target = target })));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_bind_needs_a_source(string? source) =>
        Assert.Equal(
            "invalid mount config for type \"bind\": field Source must not be empty",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = "bind", Source = source, Target = "/b" })));

    [Fact]
    public void A_bind_source_must_be_absolute() =>
        Assert.Equal(
            "invalid mount config for type \"bind\": invalid mount path: 'rel/dir' mount path must be absolute",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = "bind", Source = "rel/dir", Target = "/b" })));

    [Theory]
    [InlineData("rprivatee")]
    [InlineData("RSHARED")]
    [InlineData("unbindable")]
    public void An_unknown_propagation_is_refused(string propagation) =>
        Assert.Equal(
            $"invalid mount config for type \"bind\": invalid propagation mode: {propagation}",
            Refused.Message(() => MountParser.ParseMount(new MountSpec
            {
                Type = "bind", Source = "/a", Target = "/b", BindOptions = new MountBindOptions { Propagation = propagation },
            })));

    [Fact]
    public void A_bind_takes_no_volume_options() =>
        Assert.Equal(
            "invalid mount config for type \"bind\": field VolumeOptions must not be specified",
            Refused.Message(() => MountParser.ParseMount(new MountSpec
            {
                Type = "bind", Source = "/a", Target = "/b", VolumeOptions = new MountVolumeOptions(),
            })));

    [Theory]
    [InlineData("volume", "data")]
    [InlineData("tmpfs", null)]
    public void Only_a_bind_takes_bind_options(string type, string? source) =>
        Assert.Equal(
            $"invalid mount config for type \"{type}\": field BindOptions must not be specified",
            Refused.Message(() => MountParser.ParseMount(new MountSpec
            {
                Type = type, Source = source, Target = "/b", BindOptions = new MountBindOptions(),
            })));

    [Fact]
    public void An_anonymous_volume_cannot_be_read_only() =>
        Assert.Equal(
            "invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = "volume", Target = "/b", ReadOnly = true })));

    [Fact]
    public void A_named_volume_can_be_read_only() =>
        Assert.True(MountParser.ParseMount(new MountSpec { Type = "volume", Source = "data", Target = "/b", ReadOnly = true }).ReadOnly);

    [Fact]
    public void A_tmpfs_takes_no_source() =>
        Assert.Equal(
            "invalid mount config for type \"tmpfs\": field Source must not be specified",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = "tmpfs", Source = "/a", Target = "/b" })));

    [Fact]
    public void Options_of_another_type_that_dockerd_ignores_are_ignored()
    {
        MountParser.ParseMount(new MountSpec { Type = "bind", Source = "/a", Target = "/b", TmpfsOptions = new MountTmpfsOptions { SizeBytes = 1 } });
        MountParser.ParseMount(new MountSpec { Type = "tmpfs", Target = "/b", VolumeOptions = new MountVolumeOptions() });
        MountParser.ParseMount(new MountSpec { Type = "volume", Target = "/b", TmpfsOptions = new MountTmpfsOptions() });
    }

    [Fact]
    public void A_volume_name_the_local_driver_refuses_is_refused() =>
        Assert.Equal(
            "create rel/dir: \"rel/dir\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
            Refused.Message(() => MountParser.ParseMount(new MountSpec { Type = "volume", Source = "rel/dir", Target = "/b" })));

    [Fact]
    public void Another_driver_judges_its_own_names() =>
        Assert.Equal("rel/dir", MountParser.ParseMount(new MountSpec
        {
            Type = "volume", Source = "rel/dir", Target = "/b",
            VolumeOptions = new MountVolumeOptions { DriverConfig = new MountDriver { Name = "nfs" } },
        }).Source);
}
