using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class TmpfsOptionMergeTests
{
    [Fact]
    public void Nothing_given_leaves_dockerd_s_defaults() =>
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate"], TmpfsOptionMerge.Merge(""));

    [Fact]
    public void A_later_option_of_the_same_kind_replaces_an_earlier_one() =>
        Assert.Equal(["nosuid", "nodev", "exec", "rshared", "size=2m"], TmpfsOptionMerge.Merge("exec,size=1m,rshared,size=2m"));

    [Fact]
    public void Defaults_is_dropped_and_flags_keep_their_place() =>
        Assert.Equal(["noexec", "nosuid", "nodev", "rprivate", "ro", "mode=1770", "size=1m"], TmpfsOptionMerge.Merge("defaults,ro,mode=1770,size=1m"));

    [Fact]
    public void The_last_bad_option_is_the_one_named() =>
        Assert.Equal("Invalid tmpfs option [\"second\"]", Refused.Message(() => TmpfsOptionMerge.Merge("first,second")));
}
