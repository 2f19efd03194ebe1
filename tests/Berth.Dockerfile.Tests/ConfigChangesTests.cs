using Berth.Api.Errors;
using Berth.Api.Wire;

namespace Berth.Dockerfile.Tests;

public class ConfigChangesTests
{
    private static ContainerConfig Apply(params string[] changes)
    {
        var config = new ContainerConfig();
        ConfigChanges.Apply(config, changes);
        return config;
    }

    [Fact]
    public void Cmd_and_entrypoint_in_exec_and_shell_form()
    {
        Assert.Equal(["sh"], Apply("""CMD ["sh"]""").Cmd);
        Assert.Equal(["/bin/sh", "-c", "echo hi"], Apply("CMD echo hi").Cmd);
        Assert.Equal(["/bin/sh"], Apply("""ENTRYPOINT ["/bin/sh"]""").Entrypoint);
        Assert.Equal(["/bin/sh", "-c", "[not json"], Apply("CMD [not json").Cmd);
    }

    [Fact]
    public void An_entrypoint_clears_a_cmd_set_before_the_changes_but_not_one_set_among_them()
    {
        var config = new ContainerConfig { Cmd = ["old"] };
        ConfigChanges.Apply(config, ["ENTRYPOINT [\"/e\"]"]);
        Assert.Null(config.Cmd);
        Assert.Equal(["new"], Apply("""CMD ["new"]""", """ENTRYPOINT ["/e"]""").Cmd);
    }

    [Fact]
    public void Env_and_label_in_both_forms_with_quotes_and_expansion()
    {
        var config = Apply("ENV A=b C=\"d e\"", "ENV LEGACY value with spaces", "ENV P=$A/x", "LABEL team=x \"with space\"=\"y z\"");
        Assert.Equal(["A=b", "C=d e", "LEGACY=value with spaces", "P=b/x"], config.Env);
        Assert.Equal("x", config.Labels!["team"]);
        Assert.Equal("y z", config.Labels!["with space"]);
    }

    [Fact]
    public void Env_replaces_an_existing_variable()
    {
        var config = new ContainerConfig { Env = ["PATH=/bin"] };
        ConfigChanges.Apply(config, ["ENV PATH=/usr/bin:$PATH"]);
        Assert.Equal(["PATH=/usr/bin:/bin"], config.Env);
    }

    [Fact]
    public void Expose_volume_user_workdir()
    {
        var config = Apply("EXPOSE 80 53/udp 8000-8002", "VOLUME /data /logs", "VOLUME [\"/json\"]", "USER nobody", "WORKDIR /w", "WORKDIR rel");
        Assert.Equal(["53/udp", "80/tcp", "8000/tcp", "8001/tcp", "8002/tcp"], config.ExposedPorts!.Keys.Order());
        Assert.Equal(["/data", "/json", "/logs"], config.Volumes!.Keys.Order());
        Assert.Equal("nobody", config.User);
        Assert.Equal("/w/rel", config.WorkingDir);
        Assert.Equal("/rel", Apply("WORKDIR rel").WorkingDir);
    }

    [Fact]
    public void Onbuild_and_healthcheck()
    {
        var config = Apply("ONBUILD RUN echo hi", "HEALTHCHECK --interval=5s --retries=3 CMD wget -q localhost");
        Assert.Equal(["RUN echo hi"], config.OnBuild);
        Assert.Equal(["CMD-SHELL", "wget -q localhost"], config.Healthcheck!.Test);
        Assert.Equal(5_000_000_000, config.Healthcheck.Interval);
        Assert.Equal(3, config.Healthcheck.Retries);
        Assert.Equal(["NONE"], Apply("HEALTHCHECK NONE").Healthcheck!.Test);
    }

    [Theory]
    [InlineData("RUN echo", "run is not a valid change command")]
    [InlineData("FROM busybox", "from is not a valid change command")]
    [InlineData("STOPSIGNAL TERM", "stopsignal is not a valid change command")]
    [InlineData("SHELL [\"/bin/bash\"]", "shell is not a valid change command")]
    [InlineData("ONBUILD ONBUILD RUN x", "ONBUILD: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData(" ", "file with no instructions")]
    public void Refused_changes_use_dockerds_wording(string change, string message)
    {
        var e = Assert.Throws<BerthException>(() => Apply(change));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.Equal(message, e.Message);
    }
}
