using System.Net;
using Berth.Daemon.Configuration;

namespace Berth.Daemon.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DaemonOptions Build(string? json, params string[] args)
    {
        var path = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(path, json ?? "{}");
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.Command.Parse([.. args, "--config-file", path]);
        Assert.Empty(parsed.Errors);
        return commandLine.Build(parsed);
    }

    private string Fails(string? json, params string[] args) =>
        Assert.Throws<ConfigurationException>(() => Build(json, args)).Message;

    [Fact]
    public void Defaults_put_berth_beside_docker_without_colliding()
    {
        var options = Build("{}");
        Assert.Equal("/var/lib/berth", options.DataRoot);
        Assert.Equal("/run/berth", options.ExecRoot);
        Assert.Equal("/run/berth/berthd.pid", options.EffectivePidFile);
        Assert.Equal("/run/berth/berth.sock", Assert.Single(options.Hosts).SocketPath);
        Assert.Null(options.StorageDriver);
    }

    [Fact]
    public void Flags_and_file_combine()
    {
        var options = Build("""{"debug": true, "labels": ["a=b"], "storage-driver": "vfs"}""", "-H", "unix:///tmp/a.sock", "-H", "tcp://127.0.0.1:2375", "--data-root", "/srv/berth");
        Assert.True(options.Debug);
        Assert.Equal("debug", options.LogLevel);
        Assert.Equal(["a=b"], options.Labels);
        Assert.Equal("vfs", options.StorageDriver);
        Assert.Equal("/srv/berth", options.DataRoot);
        Assert.Equal("/tmp/a.sock", options.Hosts[0].SocketPath);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 2375), options.Hosts[1].Tcp);
    }

    [Fact]
    public void Unknown_keys_are_named()
    {
        var message = Fails("""{"debug": true, "zeta": 1, "alpha": 2}""");
        Assert.EndsWith("the following directives don't match any configuration option: alpha, zeta", message);
        Assert.StartsWith("unable to configure the Berth daemon with file ", message);
    }

    [Fact]
    public void Dockerd_keys_berth_lacks_are_named_as_such() =>
        Assert.EndsWith("the following directives are dockerd options that berthd does not support yet: live-restore",
            Fails("""{"live-restore": true}"""));

    [Fact]
    public void Malformed_json_and_wrong_types_stop_the_start()
    {
        Assert.Contains("daemon.json: ", Fails("""{"debug": """));
        Assert.EndsWith("\"debug\" must be a boolean, not a string", Fails("""{"debug": "yes"}"""));
        Assert.EndsWith("\"hosts\" must be an array of strings, not a string", Fails("""{"hosts": "unix:///x"}"""));
    }

    [Fact]
    public void Max_concurrent_uploads_defaults_to_five_and_must_be_positive()
    {
        Assert.Equal(5, Build("{}").Registry.MaxConcurrentUploads);
        Assert.Equal(2, Build("""{"max-concurrent-uploads": 2}""").Registry.MaxConcurrentUploads);
        Assert.Equal(3, Build(null, "--max-concurrent-uploads", "3").Registry.MaxConcurrentUploads);
        Assert.Equal("invalid max concurrent uploads: 0", Fails("""{"max-concurrent-uploads": 0}"""));
        Assert.EndsWith("\"max-concurrent-uploads\" must be a number, not a string", Fails("""{"max-concurrent-uploads": "5"}"""));
    }

    [Fact]
    public void A_setting_in_both_places_is_a_conflict() =>
        Assert.EndsWith("the following directives are specified both as a flag and in the configuration file: debug: (from flag: true, from file: true)",
            Fails("""{"debug": true}""", "-D"));

    [Fact]
    public void A_named_config_file_must_exist()
    {
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.Command.Parse(["--config-file", "/nonexistent/daemon.json"]);
        var e = Assert.Throws<ConfigurationException>(() => commandLine.Build(parsed));
        Assert.EndsWith("open /nonexistent/daemon.json: no such file or directory", e.Message);
    }

    [Fact]
    public void Bad_values_are_refused()
    {
        Assert.Equal("unable to parse logging level: loud", Fails(null, "--log-level", "loud"));
        Assert.Contains("driver not supported: zfs", Fails(null, "--storage-driver", "zfs"));
        Assert.Contains("Invalid bind address format", Fails(null, "-H", "tcp://host:notaport"));
    }

    [Theory]
    [InlineData("unix:///var/run/x.sock", "/var/run/x.sock", null)]
    [InlineData("unix://", "/run/berth/berth.sock", null)]
    [InlineData("tcp://0.0.0.0:2376", null, "0.0.0.0:2376")]
    [InlineData("tcp://:2375", null, "0.0.0.0:2375")]
    [InlineData("127.0.0.1:4243", null, "127.0.0.1:4243")]
    [InlineData("tcp://[::1]:2375", null, "[::1]:2375")]
    public void Host_addresses_parse_as_dockerd_parses_them(string text, string? socket, string? tcp)
    {
        var address = HostAddress.Parse(text);
        Assert.Equal(socket, address.SocketPath);
        Assert.Equal(tcp, address.Tcp?.ToString());
    }

    [Fact]
    public void Init_comes_from_the_flag_or_the_file()
    {
        var fromFile = Build("""{"init": true, "init-path": "/opt/tini-static"}""");
        Assert.True(fromFile.Init);
        Assert.Equal("/opt/tini-static", fromFile.InitPath);
        var fromFlag = Build("{}", "--init");
        Assert.True(fromFlag.Init);
        Assert.Null(fromFlag.InitPath);
        Assert.False(Build("{}").Init);
        Assert.Contains("init: (from flag: true, from file: false)", Fails("""{"init": false}""", "--init"));
    }
}
