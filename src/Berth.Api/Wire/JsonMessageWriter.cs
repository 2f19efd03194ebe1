using System.Text.Json;
using Berth.Api.Json;

namespace Berth.Api.Wire;

/// <summary>
/// Writes a JSON progress stream: one <see cref="JsonMessage"/> per line, ended by <c>\r\n</c> as
/// dockerd ends them, flushed as it goes. Each message and its line end leave in one write, so
/// they arrive in one HTTP chunk: clients such as docker-py parse chunk by chunk and fail on a
/// chunk that holds only the line end.
/// </summary>
public sealed class JsonMessageWriter(Stream output)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task WriteAsync(JsonMessage message, CancellationToken ct = default)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
            JsonSerializer.Serialize(json, message, WireJson.Default.JsonMessage);
        "\r\n"u8.CopyTo(buffer.GetSpan(2));
        buffer.Advance(2);
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await output.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
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
