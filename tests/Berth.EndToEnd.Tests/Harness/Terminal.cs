namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// A real terminal for interactive tests: a detached tmux session of a given size running one
/// command (usually the docker CLI), typed into with send-keys and read with capture-pane. Each
/// terminal has a tmux server of its own, so tests never share one.
/// </summary>
public sealed class Terminal : IAsyncDisposable
{
    private static int _counter;
    private readonly string server;

    private Terminal(string server) => this.server = server;

    /// <summary>Starts <paramref name="command"/> (a shell command line) in a new terminal; after it ends the terminal prints <c>EXITED=code</c> and stays open.</summary>
    public static async Task<Terminal> StartAsync(string command, int columns, int rows, IDictionary<string, string>? environment = null)
    {
        var terminal = new Terminal($"bt-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}");
        var exports = string.Concat((environment ?? new Dictionary<string, string>()).Select(e => $"export {e.Key}='{e.Value}'; "));
        (await terminal.TmuxAsync("new-session", "-d", "-s", "t", "-x", columns.ToString(), "-y", rows.ToString(),
            $"{exports}{command}; echo EXITED=$?; sleep 600")).AssertSuccess();
        return terminal;
    }

    /// <summary>Starts the docker CLI against <paramref name="daemon"/> in a new terminal.</summary>
    public static Task<Terminal> DockerAsync(BerthDaemon daemon, string arguments, int columns = 120, int rows = 40) =>
        StartAsync($"{TestPaths.DockerCli} {arguments}", columns, rows, new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = daemon.Host,
            ["DOCKER_CONFIG"] = daemon.DockerConfig,
        });

    /// <summary>Types text followed by Enter.</summary>
    public async Task TypeLineAsync(string text)
    {
        (await TmuxAsync("send-keys", "-t", "t", "-l", text)).AssertSuccess();
        (await TmuxAsync("send-keys", "-t", "t", "Enter")).AssertSuccess();
    }

    /// <summary>Sends tmux key names, e.g. <c>C-p</c>.</summary>
    public async Task SendKeysAsync(params string[] keys) => (await TmuxAsync(["send-keys", "-t", "t", .. keys])).AssertSuccess();

    public async Task ResizeAsync(int columns, int rows) =>
        (await TmuxAsync("resize-window", "-t", "t", "-x", columns.ToString(), "-y", rows.ToString())).AssertSuccess();

    public async Task<string> ScreenAsync() => (await TmuxAsync("capture-pane", "-p", "-t", "t")).AssertSuccess().Stdout;

    /// <summary>Waits until the screen satisfies <paramref name="condition"/> and returns it.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var screen = await ScreenAsync();
            if (condition(screen)) return screen;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the terminal never showed {what}; it shows:\n{screen}");
            await Task.Delay(50);
        }
    }

    public Task<string> WaitForTextAsync(string text, TimeSpan? timeout = null) => WaitForAsync(s => s.Contains(text, StringComparison.Ordinal), $"'{text}'", timeout);

    /// <summary>Waits for the command to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var screen = await WaitForAsync(s => s.Contains("EXITED=", StringComparison.Ordinal), "the command's end", timeout);
        var at = screen.IndexOf("EXITED=", StringComparison.Ordinal) + "EXITED=".Length;
        return int.Parse(new string(screen[at..].TakeWhile(char.IsDigit).ToArray()));
    }

    private Task<CommandResult> TmuxAsync(params string[] args) =>
        Processes.RunAsync("tmux", ["-L", server, .. args], new Dictionary<string, string> { ["TERM"] = "xterm" });

    public async ValueTask DisposeAsync() => await TmuxAsync("kill-server");
}
