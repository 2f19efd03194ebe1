using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Engine.Logs;

/// <summary>
/// Reads a container's log file as <c>docker logs</c> wants it: filtered by stream and time, the
/// last N entries, and with <see cref="LogReadOptions.Follow"/> the entries written afterwards until
/// the container stops or the client goes away. The file is read in chunks of
/// <see cref="ChunkSize"/> bytes, so a log of any size streams in bounded memory; <c>--tail</c>
/// finds its starting point by reading backwards from the end.
/// </summary>
public static class LogReader
{
    public const int ChunkSize = 64 * 1024;

    public static async IAsyncEnumerable<LogEntry> ReadAsync(string path, LogReadOptions options, Func<bool> isRunning, Func<Task> nextExit,
        [EnumeratorCancellation] CancellationToken ct)
    {
        if (!options.Stdout && !options.Stderr) yield break;
        var cursor = new Cursor();
        if (options.Tail is { } tail)
        {
            using var file = Open(path);
            if (file is not null) cursor.Offset = await TailStartAsync(file, tail, options, ct).ConfigureAwait(false);
        }
        await foreach (var entry in ReadCompleteAsync(path, cursor, ct).ConfigureAwait(false))
        {
            if (options.Until is { } until && entry.Time > until) yield break;
            if (Wanted(entry, options)) yield return entry;
        }
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
            await foreach (var entry in ReadCompleteAsync(path, cursor, ct).ConfigureAwait(false))
            {
                if (options.Until is { } until && entry.Time > until) yield break;
                if (Wanted(entry, options)) yield return entry;
            }
            if (stopped) yield break;
            // The watcher wakes us on writes; the timeout only guards against a missed event.
            await Task.WhenAny(changed.WaitAsync(ct), exited, Task.Delay(TimeSpan.FromSeconds(1), ct)).ConfigureAwait(false);
        }
    }

    /// <summary>Where the next read starts: always at the beginning of a line.</summary>
    private sealed class Cursor
    {
        public long Offset;
    }

    private static void Release(SemaphoreSlim s)
    {
        if (s.CurrentCount == 0) s.Release();
    }

    private static bool Wanted(LogEntry entry, LogReadOptions options) =>
        (entry.Stream == OutputStream.Stderr ? options.Stderr : options.Stdout)
        && (options.Since is not { } since || entry.Time >= since);

    /// <summary>Counts towards <c>--tail</c>: a wanted entry not after <c>--until</c>.</summary>
    private static bool Counts(LogEntry entry, LogReadOptions options) =>
        Wanted(entry, options) && (options.Until is not { } until || entry.Time <= until);

    private static SafeFileHandle? Open(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The complete lines from the cursor on, a chunk at a time; the cursor moves past each chunk's
    /// lines before they are handed out, and never into a line still being written.
    /// </summary>
    private static async IAsyncEnumerable<LogEntry> ReadCompleteAsync(string path, Cursor cursor, [EnumeratorCancellation] CancellationToken ct)
    {
        using var file = Open(path);
        if (file is null) yield break;
        // conmon truncates the log when it is rotated; start again from the top then.
        if (RandomAccess.GetLength(file) < cursor.Offset) cursor.Offset = 0;
        var buffer = new byte[ChunkSize];
        var pending = 0;
        var entries = new List<LogEntry>();
        while (true)
        {
            // A line longer than the buffer: make room for the rest of it.
            if (pending == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var read = await RandomAccess.ReadAsync(file, buffer.AsMemory(pending), cursor.Offset + pending, ct).ConfigureAwait(false);
            if (read == 0) yield break;
            var filled = pending + read;
            var consumed = ParseLines(buffer.AsSpan(0, filled), entries);
            cursor.Offset += consumed;
            pending = filled - consumed;
            buffer.AsSpan(consumed, pending).CopyTo(buffer);
            foreach (var entry in entries) yield return entry;
            entries.Clear();
        }
    }

    /// <summary>Parses the complete lines at the start of <paramref name="data"/>; returns the bytes they take.</summary>
    private static int ParseLines(ReadOnlySpan<byte> data, List<LogEntry> into)
    {
        var consumed = 0;
        while (true)
        {
            var newline = data[consumed..].IndexOf((byte)'\n');
            if (newline < 0) return consumed;
            if (CriLogLine.TryParse(data.Slice(consumed, newline), out var entry)) into.Add(entry);
            consumed += newline + 1;
        }
    }

    /// <summary>
    /// The offset of the first of the last <paramref name="tail"/> counted entries, found by reading
    /// chunks backwards from the end (a line still being written at the end is left out); the end
    /// of the complete lines for a tail of 0, and 0 when the log has fewer entries.
    /// </summary>
    private static async Task<long> TailStartAsync(SafeFileHandle file, int tail, LogReadOptions options, CancellationToken ct)
    {
        var to = RandomAccess.GetLength(file);
        var chunk = new byte[ChunkSize];
        byte[] carry = []; // the start of a line that began in an earlier chunk, through to its newline
        var seenEnd = false;
        var counted = 0;
        var lines = new List<(int Start, int Length)>();
        while (to > 0)
        {
            var from = Math.Max(0, to - ChunkSize);
            var length = (int)(to - from);
            await RandomAccess.ReadAsync(file, chunk.AsMemory(0, length), from, ct).ConfigureAwait(false);
            var data = carry.Length == 0 ? chunk.AsMemory(0, length) : new Memory<byte>([.. chunk.AsSpan(0, length), .. carry]);
            to = from;
            if (!seenEnd)
            {
                var last = data.Span.LastIndexOf((byte)'\n');
                if (last < 0) continue; // all of it belongs to the unfinished last line
                seenEnd = true;
                data = data[..(last + 1)];
                if (tail == 0) return from + last + 1;
            }
            var firstNewline = data.Span.IndexOf((byte)'\n');
            if (firstNewline < 0)
            {
                carry = data.ToArray();
                continue;
            }
            // Whole lines after the first newline; the first line too when the file starts here.
            lines.Clear();
            if (from == 0) lines.Add((0, firstNewline));
            for (var at = firstNewline + 1; at < data.Length;)
            {
                var next = data.Span[at..].IndexOf((byte)'\n');
                lines.Add((at, next));
                at += next + 1;
            }
            for (var i = lines.Count - 1; i >= 0; i--)
            {
                var (lineStart, lineLength) = lines[i];
                if (!CriLogLine.TryParse(data.Span.Slice(lineStart, lineLength), out var entry) || !Counts(entry, options)) continue;
                if (++counted == tail) return from + lineStart;
            }
            carry = from == 0 ? [] : data[..(firstNewline + 1)].ToArray();
        }
        return 0;
    }
}
