using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Runs commands to completion with a deadline, and signals processes.</summary>
public static partial class Processes
{
    public static async Task<CommandResult> RunAsync(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null,
        Stream? stdin = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            try
            {
                await stdin.CopyToAsync(process.StandardInput.BaseStream);
            }
            catch (IOException)
            {
                // The process stopped reading (it failed or exited); its exit code tells the rest.
            }
        }
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Broken pipe: the process is gone already.
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time\n{await stdout}\n{await stderr}");
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CommandResult> RunAsync(string file, params string[] args) => RunAsync(file, args, null);

    public static void Signal(int pid, int signal) => kill(pid, signal);

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    public const int SIGKILL = 9;
    public const int SIGTERM = 15;
    public const int SIGINT = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
