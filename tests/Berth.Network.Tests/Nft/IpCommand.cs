using System.Diagnostics;

namespace Berth.Network.Tests.Nft;

/// <summary>Runs iproute2's <c>ip</c> in the calling thread's network namespace (the child inherits it).</summary>
internal static class IpCommand
{
    public static void Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {errors.Trim()}");
    }
}
