using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class DuplicateMountTests
{
    [Fact]
    public void Different_targets_pass() =>
        MountParser.CheckDuplicates([MountParser.ParseBind("/a:/x"), MountParser.ParseBind("vol:/y"), MountParser.ParseTmpfs("/z", "")]);

    [Fact]
    public void Two_mounts_on_one_path_are_refused_naming_it() =>
        Assert.Equal("Duplicate mount point: /x", Refused.Message(() => MountParser.CheckDuplicates(
            [MountParser.ParseBind("/a:/x"), MountParser.ParseBind("vol:/y"), MountParser.ParseBind("vol2:/x")])));

    [Fact]
    public void Targets_are_compared_cleaned_across_kinds() =>
        Assert.Equal("Duplicate mount point: /run", Refused.Message(() => MountParser.CheckDuplicates(
            [MountParser.ParseBind("/a:/run/"), MountParser.ParseTmpfs("/run", "")])));
}
