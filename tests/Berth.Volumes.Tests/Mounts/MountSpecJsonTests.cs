using System.Text.Json;
using Berth.Api.Json;
using Berth.Api.Wire.Containers;

namespace Berth.Volumes.Tests.Mounts;

public sealed class MountSpecJsonTests
{
    [Fact]
    public void The_docker_cli_s_mounts_are_read()
    {
        const string json = """
            {"Type":"volume","Source":"data","Target":"/data","ReadOnly":true,
             "VolumeOptions":{"NoCopy":true,"Labels":{"a":"b"},"DriverConfig":{"Name":"local","Options":{"type":"nfs"}}},
             "BindOptions":{"Propagation":"rshared","NonRecursive":true},
             "TmpfsOptions":{"SizeBytes":1048576,"Mode":1016}}
            """;
        var spec = JsonSerializer.Deserialize(json, WireJson.Default.MountSpec)!;
        Assert.Equal("volume", spec.Type);
        Assert.True(spec.ReadOnly);
        Assert.True(spec.VolumeOptions!.NoCopy);
        Assert.Equal("b", spec.VolumeOptions.Labels!["a"]);
        Assert.Equal("local", spec.VolumeOptions.DriverConfig!.Name);
        Assert.Equal("nfs", spec.VolumeOptions.DriverConfig.Options!["type"]);
        Assert.Equal("rshared", spec.BindOptions!.Propagation);
        Assert.True(spec.BindOptions.NonRecursive);
        Assert.Equal(1048576, spec.TmpfsOptions!.SizeBytes);
        Assert.Equal(1016u, spec.TmpfsOptions.Mode);
    }

    [Fact]
    public void Empty_members_are_left_out_as_go_omits_them()
    {
        var spec = new MountSpec
        {
            Type = "tmpfs", Target = "/run",
            BindOptions = new MountBindOptions(),
            VolumeOptions = new MountVolumeOptions { DriverConfig = new MountDriver() },
            TmpfsOptions = new MountTmpfsOptions(),
        };
        Assert.Equal(
            """{"Type":"tmpfs","Target":"/run","BindOptions":{},"VolumeOptions":{"DriverConfig":{}},"TmpfsOptions":{}}""",
            JsonSerializer.Serialize(spec, WireJson.Default.MountSpec));
    }
}
