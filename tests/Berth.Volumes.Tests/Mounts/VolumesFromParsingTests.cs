using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class VolumesFromParsingTests
{
    [Theory]
    [InlineData("data", "data", "rw", false)]
    [InlineData("data:ro", "data", "ro", true)]
    [InlineData("data:rw", "data", "rw", false)]
    [InlineData("data:ro,z", "data", "ro,z", true)]
    [InlineData("data:Z", "data", "Z", false)]
    [InlineData("data:", "data", "", false)]
    [InlineData("3f2a1b:ro", "3f2a1b", "ro", true)]
    public void A_container_and_an_optional_mode(string spec, string container, string mode, bool readOnly)
    {
        var from = MountParser.ParseVolumesFrom(spec);
        Assert.Equal(container, from.Container);
        Assert.Equal(mode, from.Mode);
        Assert.Equal(readOnly, from.ReadOnly);
    }

    [Fact]
    public void An_empty_spec_is_refused() =>
        Assert.Equal("volumes-from specification cannot be an empty string", Refused.Message(() => MountParser.ParseVolumesFrom("")));

    [Theory]
    [InlineData("data:bogus", "bogus")]
    [InlineData("data:ro,rw", "ro,rw")]
    [InlineData("data:ro:extra", "ro:extra")]
    [InlineData("data:shared", "shared")]
    [InlineData("data:ro,rslave", "ro,rslave")]
    [InlineData("data:nocopy", "nocopy")]
    public void Modes_that_are_unknown_or_name_propagation_or_copying_are_refused(string spec, string mode) =>
        Assert.Equal($"invalid mode: {mode}", Refused.Message(() => MountParser.ParseVolumesFrom(spec)));
}
