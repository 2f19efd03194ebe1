using Berth.Volumes.Mounts;

namespace Berth.Volumes.Tests.Mounts;

public sealed class TmpfsParsingTests
{
    [Fact]
    public void The_options_go_to_the_mount_as_given()
    {
        var tmpfs = MountParser.ParseTmpfs("/run/", "rw,noexec,size=64k,mode=1770");
        Assert.Equal(MountKind.Tmpfs, tmpfs.Kind);
        Assert.Equal("/run", tmpfs.Target);
        Assert.Equal("", tmpfs.Source);
        Assert.Equal("rw,noexec,size=64k,mode=1770", tmpfs.TmpfsOptions);
        Assert.Equal(64 * 1024, tmpfs.TmpfsSize);
        Assert.Equal(Convert.ToInt32("1770", 8), tmpfs.TmpfsMode);
        Assert.False(tmpfs.ReadOnly);
        Assert.True(tmpfs.FromTmpfs);
        Assert.False(tmpfs.FromBinds);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void No_options_leave_the_kernel_defaults(string? options)
    {
        var tmpfs = MountParser.ParseTmpfs("/run", options);
        Assert.Equal("", tmpfs.TmpfsOptions);
        Assert.Equal(0, tmpfs.TmpfsSize);
        Assert.Null(tmpfs.TmpfsMode);
    }

    [Theory]
    [InlineData("ro", true)]
    [InlineData("ro,rw", false)]
    [InlineData("rw,ro", true)]
    [InlineData("noexec", false)]
    public void The_last_of_ro_and_rw_decides(string options, bool readOnly) =>
        Assert.Equal(readOnly, MountParser.ParseTmpfs("/run", options).ReadOnly);

    [Theory]
    [InlineData("size=100", 100)]
    [InlineData("size=64k", 64L << 10)]
    [InlineData("size=64K", 64L << 10)]
    [InlineData("size=2m", 2L << 20)]
    [InlineData("size=1g", 1L << 30)]
    [InlineData("size=1t", 1L << 40)]
    [InlineData("size=50%", 0)]
    [InlineData("size=1m,size=2m", 2L << 20)]
    public void Sizes_are_read_as_the_kernel_reads_them(string options, long bytes) =>
        Assert.Equal(bytes, MountParser.ParseTmpfs("/run", options).TmpfsSize);

    [Theory]
    [InlineData("mode=1777", 0x3ff)]
    [InlineData("mode=700", 0x1c0)]
    [InlineData("mode=0755", 0x1ed)]
    public void Modes_are_octal(string options, int mode) =>
        Assert.Equal(mode, MountParser.ParseTmpfs("/run", options).TmpfsMode);

    [Theory]
    [InlineData("/")]
    [InlineData("/run/..")]
    public void The_root_is_no_target(string target) =>
        Assert.Equal("invalid specification: destination can't be '/'", Refused.Message(() => MountParser.ParseTmpfs(target, "")));

    [Fact]
    public void A_relative_target_is_refused() =>
        Assert.Equal("invalid mount path: 'run' mount path must be absolute", Refused.Message(() => MountParser.ParseTmpfs("run", "")));

    [Theory]
    [InlineData("foo", "[\"foo\"]")]
    [InlineData("size=1m,bogus=1", "[\"bogus\" \"1\"]")]
    [InlineData("a,b", "[\"b\"]")]
    [InlineData("rw,,noexec", "[\"\"]")]
    [InlineData("size=abc", "[\"size\" \"abc\"]")]
    [InlineData("size=1x", "[\"size\" \"1x\"]")]
    [InlineData("size=", "[\"size\" \"\"]")]
    [InlineData("size=-1", "[\"size\" \"-1\"]")]
    [InlineData("mode=778", "[\"mode\" \"778\"]")]
    [InlineData("mode=rwx", "[\"mode\" \"rwx\"]")]
    public void An_option_tmpfs_does_not_take_is_refused(string options, string shown) =>
        Assert.Equal($"Invalid tmpfs option {shown}", Refused.Message(() => MountParser.ParseTmpfs("/run", options)));

    [Fact]
    public void Known_flags_and_data_options_pass() =>
        MountParser.ParseTmpfs("/run", "defaults,exec,suid,dev,sync,noatime,nodiratime,strictatime,shared,uid=1000,gid=1000,nr_inodes=1k,mpol=default");
}
