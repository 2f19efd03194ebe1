using Berth.Daemon.Configuration;

namespace Berth.Daemon.Tests;

public sealed class RegistryConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DaemonOptions Build(string json, params string[] args)
    {
        var path = Path.Combine(_dir, "daemon.json");
        File.WriteAllText(path, json);
        var commandLine = new DaemonCommandLine();
        var parsed = commandLine.Command.Parse([.. args, "--config-file", path]);
        Assert.Empty(parsed.Errors);
        return commandLine.Build(parsed);
    }

    private string Fails(string json) => Assert.Throws<ConfigurationException>(() => Build(json)).Message;

    [Fact]
    public void Registry_keys_have_dockerds_defaults()
    {
        var registry = Build("{}").Registry;
        Assert.Empty(registry.InsecureRegistries);
        Assert.Empty(registry.Mirrors);
        Assert.Equal(3, registry.MaxConcurrentDownloads);
        Assert.Equal(5, registry.MaxDownloadAttempts);
        Assert.Equal("/etc/berth/certs.d", registry.CertsDirectory);
    }

    [Fact]
    public void Registry_keys_are_read_from_the_file()
    {
        var registry = Build("""
            {"insecure-registries": ["10.0.0.0/8", "myregistry:5000"], "registry-mirrors": ["https://mirror.example.com/"],
             "max-concurrent-downloads": 1, "max-download-attempts": 2, "registry-certs-dir": "/srv/certs.d"}
            """).Registry;
        Assert.Equal(["10.0.0.0/8", "myregistry:5000"], registry.InsecureRegistries);
        Assert.Equal(["https://mirror.example.com"], registry.Mirrors);
        Assert.Equal(1, registry.MaxConcurrentDownloads);
        Assert.Equal(2, registry.MaxDownloadAttempts);
        Assert.Equal("/srv/certs.d", registry.CertsDirectory);
    }

    [Fact]
    public void Info_describes_the_registry_settings_as_dockerd_does()
    {
        var info = Build("""{"insecure-registries": ["10.0.0.0/8", "http://myregistry:5000"], "registry-mirrors": ["https://mirror.example.com"]}""").Registry.Describe();
        Assert.Equal(["10.0.0.0/8", "127.0.0.0/8"], info.InsecureRegistryCIDRs);
        Assert.Equal(["https://mirror.example.com/"], info.Mirrors);
        Assert.False(info.IndexConfigs["myregistry:5000"].Secure);
        Assert.Equal(["https://mirror.example.com/"], info.IndexConfigs["docker.io"].Mirrors);
        Assert.True(info.IndexConfigs["docker.io"].Official);
    }

    [Fact]
    public void Registry_flags_have_dockerds_names()
    {
        var registry = Build("{}", "--insecure-registry", "a:5000", "--registry-mirror", "http://127.0.0.1:5001", "--max-concurrent-downloads", "7").Registry;
        Assert.Equal(["a:5000"], registry.InsecureRegistries);
        Assert.Equal(["http://127.0.0.1:5001"], registry.Mirrors);
        Assert.Equal(7, registry.MaxConcurrentDownloads);
    }

    [Theory]
    [InlineData("""{"registry-mirrors": ["ftp://mirror"]}""", "invalid mirror: unsupported scheme \"ftp\" in \"ftp://mirror\"")]
    [InlineData("""{"registry-mirrors": ["https://mirror/path"]}""", "invalid mirror: path, query, or fragment at end of the URI \"https://mirror/path\"")]
    [InlineData("""{"registry-mirrors": ["mirror.example.com"]}""", "invalid mirror: \"mirror.example.com\" is not a valid URI")]
    [InlineData("""{"max-concurrent-downloads": -1}""", "invalid max concurrent downloads: -1")]
    [InlineData("""{"max-download-attempts": 0}""", "invalid max download attempts: 0")]
    [InlineData("""{"insecure-registries": ["bad host/x"]}""", "insecure registry bad host/x is not valid: invalid host \"bad host/x\"")]
    public void Bad_registry_settings_stop_the_start_in_dockerds_words(string json, string message) => Assert.Equal(message, Fails(json));

    [Fact]
    public void A_number_of_the_wrong_type_is_named() =>
        Assert.EndsWith("\"max-concurrent-downloads\" must be a number, not a string", Fails("""{"max-concurrent-downloads": "3"}"""));
}
