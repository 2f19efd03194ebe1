namespace Berth.EndToEnd.Tests.Harness;

/// <summary>A berthd with no images and a local registry in its network namespace holding busybox.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private BerthDaemon? _daemon;
    private LocalRegistry? _registry;

    public BerthDaemon Daemon => _daemon ?? throw new InvalidOperationException("the daemon is not started");
    public LocalRegistry Registry => _registry ?? throw new InvalidOperationException("the registry is not started");

    public async Task InitializeAsync()
    {
        _daemon = await BerthDaemon.StartAsync();
        _registry = await LocalRegistry.StartAsync(_daemon.Namespace, Path.Combine(_daemon.Root, "registry"));
        var archive = $"docker-archive:{await TestImages.BusyboxArchiveAsync()}";
        await _registry.PushAsync(archive, "test/busybox:v1");
        await _registry.PushAsync(archive, "test/busybox:oci", "--format", "oci");
        await PushLayeredAsync("test/layers:v1", "layers");
        await PushLayeredAsync("test/corrupt:v1", "corrupt");
    }

    /// <summary>An image of four small layers, each with a file of its own, named after <paramref name="seed"/>.</summary>
    public async Task PushLayeredAsync(string repositoryAndTag, string seed)
    {
        var layers = new List<byte[]>();
        for (var i = 0; i < 4; i++)
            layers.Add(await Archives.TarAsync(Archives.File($"{seed}{i}.txt", $"{seed} layer {i}\n")));
        var archive = Path.Combine(Daemon.Root, $"{seed}.tar");
        await File.WriteAllBytesAsync(archive, await Archives.DockerArchiveAsync(layers, []));
        await Registry.PushAsync($"docker-archive:{archive}", repositoryAndTag);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}
