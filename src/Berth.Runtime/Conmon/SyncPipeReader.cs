using System.Text;
using System.Text.Json;

namespace Berth.Runtime.Conmon;

/// <summary>Reads the JSON messages conmon writes to one of its pipes, one object at a time.</summary>
internal sealed class SyncPipeReader(Stream pipe) : IAsyncDisposable
{
    private readonly byte[] buffer = new byte[4096];
    private readonly StringBuilder pending = new();

    /// <summary>The next message, or null when conmon closed the pipe first.</summary>
    public async Task<SyncMessage?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            var text = pending.ToString();
            var end = ObjectEnd(text);
            if (end >= 0)
            {
                pending.Remove(0, end + 1);
                return JsonSerializer.Deserialize(text[..(end + 1)].Trim(), ConmonJson.Default.SyncMessage);
            }
            var n = await pipe.ReadAsync(buffer, ct).ConfigureAwait(false);
            if (n == 0) return null;
            pending.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }

    /// <summary>The index of the brace closing the first complete object in <paramref name="text"/>, or -1.</summary>
    internal static int ObjectEnd(string text)
    {
        int depth = 0;
        bool inString = false, escaped = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == '\\') escaped = true;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    public ValueTask DisposeAsync() => pipe.DisposeAsync();
}
