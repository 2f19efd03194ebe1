using System.Runtime.CompilerServices;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a container's log file as <c>docker logs</c> wants it: filtered by stream and time, the
/// last N entries, and with <see cref="LogReadOptions.Follow"/> the entries written afterwards until
/// the container stops or the client goes away.
/// </summary>
public static class LogReader
{
    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, LogReadOptions options, Func<bool> isRunning, Func<Task> nextExit,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (!options.Stdout && !options.Stderr) yield break;
        long offset = 0;
        var backlog = new Queue<LogEntry>();
        foreach (var entry in ReadComplete(path, ref offset))
        {
            if (!Wanted(entry, options)) continue;
            if (options.Until is { } until && entry.Time > until) break;
            backlog.Enqueue(entry);
            if (options.Tail is { } tail && backlog.Count > tail) backlog.Dequeue();
        }
        if (options.Tail is 0) backlog.Clear();
        foreach (var entry in backlog) yield return entry;
        if (!options.Follow || !isRunning()) yield break;

        using var changed = new SemaphoreSlim(0);
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite | NotifyFilters.FileName,
        };
        watcher.Changed += (_, _) => Release(changed);
        watcher.Created += (_, _) => Release(changed);
        watcher.EnableRaisingEvents = true;
        var exited = nextExit();
        while (!ct.IsCancellationRequested)
        {
            var stopped = !isRunning() || exited.IsCompleted;
            foreach (var entry in ReadComplete(path, ref offset))
            {
                if (options.Until is { } until && entry.Time > until) yield break;
                if (Wanted(entry, options)) yield return entry;
            }
            if (stopped) yield break;
            // The watcher wakes us on writes; the timeout only guards against a missed event.
            await Task.WhenAny(changed.WaitAsync(ct), exited, Task.Delay(TimeSpan.FromSeconds(1), ct)).ConfigureAwait(false);
        }
    }

    private static void Release(SemaphoreSlim s)
    {
        if (s.CurrentCount == 0) s.Release();
    }

    private static bool Wanted(LogEntry entry, LogReadOptions options) =>
        (entry.Stream == OutputStream.Stderr ? options.Stderr : options.Stdout)
        && (options.Since is not { } since || entry.Time >= since);

    /// <summary>The complete lines from <paramref name="offset"/> on; the offset moves past them, never into a line still being written.</summary>
    private static List<LogEntry> ReadComplete(string path, ref long offset)
    {
        var entries = new List<LogEntry>();
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        }
        catch (FileNotFoundException)
        {
            return entries;
        }
        using (stream)
        {
            // conmon truncates the log when it is rotated; start again from the top then.
            if (stream.Length < offset) offset = 0;
            var length = stream.Length - offset;
            if (length <= 0) return entries;
            var buffer = new byte[length];
            stream.Position = offset;
            stream.ReadExactly(buffer);
            var span = buffer.AsSpan();
            var consumed = 0;
            while (true)
            {
                var newline = span[consumed..].IndexOf((byte)'\n');
                if (newline < 0) break;
                if (CriLogLine.TryParse(span.Slice(consumed, newline), out var entry)) entries.Add(entry);
                consumed += newline + 1;
            }
            offset += consumed;
        }
        return entries;
    }
}
