using System.Text.Json;
using Berth.Api.Json;

namespace Berth.Api.Wire;

/// <summary>Writes a JSON progress stream: one <see cref="JsonMessage"/> per line, flushed as it goes.</summary>
public sealed class JsonMessageWriter(Stream output)
{
    private static readonly byte[] NewLine = "\r\n"u8.ToArray();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task WriteAsync(JsonMessage message, CancellationToken ct = default)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(message, WireJson.Default.JsonMessage);
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(bytes, ct).ConfigureAwait(false);
            await output.WriteAsync(NewLine, ct).ConfigureAwait(false);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    public Task StreamAsync(string text, CancellationToken ct = default) => WriteAsync(new JsonMessage { Stream = text }, ct);

    public Task StatusAsync(string status, string? id = null, CancellationToken ct = default) =>
        WriteAsync(new JsonMessage { Status = status, Id = id }, ct);

    public Task ErrorAsync(string message, CancellationToken ct = default) =>
        WriteAsync(new JsonMessage { Error = message, ErrorDetail = new ErrorDetail { Message = message } }, ct);

    /// <summary>A progress line as the docker CLI draws it: <c>[=====&gt;    ]  1.2MB/3.4MB</c>.</summary>
    public Task ProgressAsync(string status, string id, long current, long total, CancellationToken ct = default) =>
        WriteAsync(new JsonMessage
        {
            Status = status,
            Id = id,
            ProgressDetail = new ProgressDetail { Current = current, Total = total },
            Progress = ProgressBar.Render(current, total),
        }, ct);
}
