namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// A berthd holding busybox that pushes at most two layers at once, and an empty local registry
/// in its network namespace.
/// </summary>
public sealed class PushFixture : IAsyncLifetime
{
    private BerthDaemon? _daemon;
    private LocalRegistry? _registry;

    public BerthDaemon Daemon => _daemon ?? throw new InvalidOperationException("the daemon is not started");
    public LocalRegistry Registry => _registry ?? throw new InvalidOperationException("the registry is not started");

    public async Task InitializeAsync()
    {
        _daemon = await BerthDaemon.StartWithBusyboxAsync("""{"max-concurrent-uploads": 2}""");
        _registry = await LocalRegistry.StartAsync(_daemon.Namespace, Path.Combine(_daemon.Root, "registry"));
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null) await _registry.DisposeAsync();
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}
