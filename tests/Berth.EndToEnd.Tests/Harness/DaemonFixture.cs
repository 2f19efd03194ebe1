namespace Berth.EndToEnd.Tests.Harness;

/// <summary>A berthd shared by the tests of one class, with the busybox image loaded.</summary>
public sealed class DaemonFixture : IAsyncLifetime
{
    private BerthDaemon? _daemon;

    public BerthDaemon Daemon => _daemon ?? throw new InvalidOperationException("the daemon is not started");

    public async Task InitializeAsync()
    {
        _daemon = await BerthDaemon.StartAsync();
        (await _daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
    }
}
