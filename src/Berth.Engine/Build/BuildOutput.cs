using System.Text;
using System.Text.Json;
using Berth.Api.Wire;
using Berth.Engine.Logs;

namespace Berth.Engine.Build;

/// <summary>
/// The classic builder's progress stream, as dockerd writes it: <c>{"stream": …}</c> lines, a
/// step's container stderr in red, <c>{"aux": {"ID": …}}</c> after each stage. With <c>q</c> every
/// message is held back: a successful build then shows only the image ID, a failed one everything.
/// </summary>
public sealed class BuildOutput(JsonMessageWriter writer, bool quiet)
{
    private readonly List<JsonMessage>? _held = quiet ? [] : null;
    private readonly Decoder _stdout = Encoding.UTF8.GetDecoder();
    private readonly Decoder _stderr = Encoding.UTF8.GetDecoder();

    /// <summary>True once a message was produced: from then on errors belong in the stream, not in the HTTP status.</summary>
    public bool Started { get; private set; }

    /// <summary>Where a FROM's pull reports progress: the stream, or nowhere with <c>q</c>.</summary>
    public JsonMessageWriter PullWriter => _held is null ? writer : new JsonMessageWriter(Stream.Null);

    public Task StreamAsync(string text, CancellationToken ct) => WriteAsync(new JsonMessage { Stream = text }, ct);

    /// <summary>"Step 2/7 : ENV A=b", then the line end in a message of its own, as dockerd prints it.</summary>
    public async Task StepAsync(int index, int total, string original, CancellationToken ct)
    {
        await StreamAsync($"Step {index}/{total} : {original}", ct).ConfigureAwait(false);
        await StreamAsync("\n", ct).ConfigureAwait(false);
    }

    public Task ImageAsync(string? imageId, CancellationToken ct) => StreamAsync($" ---> {Short(imageId)}\n", ct);

    public async Task ContainerOutputAsync(OutputStream stream, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var decoder = stream == OutputStream.Stderr ? _stderr : _stdout;
        var chars = new char[decoder.GetCharCount(bytes.Span, flush: false)];
        var count = decoder.GetChars(bytes.Span, chars, flush: false);
        if (count == 0) return;
        var text = new string(chars, 0, count);
        await (stream == OutputStream.Stderr ? StderrAsync(text, ct) : StreamAsync(text, ct)).ConfigureAwait(false);
    }

    /// <summary>The builder's stderr: in red, as dockerd's stderr formatter writes it.</summary>
    public Task StderrAsync(string text, CancellationToken ct) => StreamAsync($"\u001b[91m{text}\u001b[0m", ct);

    public Task AuxAsync(string imageId, CancellationToken ct)
    {
        var aux = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["ID"] = imageId }, BuildJson.Default.DictionaryStringString);
        return WriteAsync(new JsonMessage { Aux = aux }, ct);
    }

    /// <summary>The end of a successful build: with <c>q</c>, only the ID.</summary>
    public async Task SucceededAsync(string imageId, CancellationToken ct)
    {
        if (_held is not null) await writer.StreamAsync(imageId + "\n", ct).ConfigureAwait(false);
    }

    /// <summary>A failure after the stream started: what was held back, then the error (with a RUN's exit code).</summary>
    public async Task FailedAsync(string message, int code, CancellationToken ct)
    {
        if (_held is not null)
            foreach (var held in _held) await writer.WriteAsync(held, ct).ConfigureAwait(false);
        await writer.WriteAsync(new JsonMessage { Error = message, ErrorDetail = new ErrorDetail { Code = code, Message = message } }, ct).ConfigureAwait(false);
    }

    public static string Short(string? imageId)
    {
        if (string.IsNullOrEmpty(imageId)) return "";
        var hex = imageId.StartsWith("sha256:", StringComparison.Ordinal) ? imageId[7..] : imageId;
        return hex.Length > 12 ? hex[..12] : hex;
    }

    private async Task WriteAsync(JsonMessage message, CancellationToken ct)
    {
        Started = true;
        if (_held is not null) _held.Add(message);
        else await writer.WriteAsync(message, ct).ConfigureAwait(false);
    }
}
