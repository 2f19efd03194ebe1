using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class LocalVolumeNameTests
{
    [Theory]
    [InlineData("ab")]
    [InlineData("my_vol.1-2")]
    [InlineData("0data")]
    [InlineData("3f2a1b9c0d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef012")]
    public void Names_the_local_driver_takes(string name) => Assert.Null(LocalVolumeName.Problem(name));

    [Theory]
    [InlineData("_vol")]
    [InlineData(".vol")]
    [InlineData("vol/sub")]
    [InlineData("vol name")]
    [InlineData("vol\n")]
    [InlineData("é")]
    public void Names_with_other_characters_are_refused(string name) =>
        Assert.Contains("includes invalid characters for a local volume name", LocalVolumeName.Problem(name), StringComparison.Ordinal);

    [Fact]
    public void The_name_is_quoted_as_go_quotes_it() =>
        Assert.StartsWith("\"vol\\n\" includes", LocalVolumeName.Problem("vol\n"), StringComparison.Ordinal);

    [Fact]
    public void One_byte_is_too_short() =>
        Assert.Equal("volume name is too short, names should be at least two alphanumeric characters", LocalVolumeName.Problem("x"));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("local", true)]
    [InlineData("nfs", false)]
    public void Only_the_local_driver_s_names_are_checked(string? driver, bool local) =>
        Assert.Equal(local, LocalVolumeName.IsLocal(driver));
}
