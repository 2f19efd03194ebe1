namespace Berth.EndToEnd.Tests.Harness;

/// <summary>What container tests do again and again: a daemon with the busybox image, inspect values, and polling for a state.</summary>
public static class ContainerHelpers
{
    /// <summary>A daemon with <c>busybox:latest</c> loaded.</summary>
    public static async Task<BerthDaemon> StartWithBusyboxAsync(string? config = null, params string[] extraArgs)
    {
        var daemon = await BerthDaemon.StartAsync(config, extraArgs);
        try
        {
            (await daemon.DockerAsync("load", "-i", await TestImages.BusyboxArchiveAsync())).AssertSuccess();
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
        return daemon;
    }

    /// <summary><c>docker inspect -f FORMAT NAME</c>, trimmed; fails the test when inspect fails.</summary>
    public static async Task<string> InspectAsync(this BerthDaemon daemon, string name, string format) =>
        (await daemon.DockerAsync("inspect", "-f", format, name)).AssertSuccess().Stdout.Trim();

    /// <summary>Polls <c>docker inspect -f FORMAT</c> until it prints <paramref name="expected"/>.</summary>
    public static async Task WaitForAsync(this BerthDaemon daemon, string name, string format, string expected, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = (await daemon.DockerAsync("inspect", "-f", format, name)).Stdout.Trim();
            if (value == expected) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name}: {format} stayed '{value}', expected '{expected}'\n{daemon.Log}");
            await Task.Delay(50);
        }
    }
}
