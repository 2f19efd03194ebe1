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
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}
