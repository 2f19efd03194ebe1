using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Berth.Daemon.Http;

/// <summary>
/// Lets an upgrade request carry a body. The docker CLI starts an exec with
/// <c>Connection: Upgrade</c>, <c>Upgrade: tcp</c> and a JSON body; Kestrel refuses any upgrade
/// request with a payload (400). This sits between the socket and Kestrel, follows the request
/// framing of a connection, and when an upgrade request announces a body it takes the body out
/// of the byte stream (dropping its <c>Content-Length</c>) and keeps it in <see cref="Body"/>,
/// where the handler reads it instead of the request body.
/// </summary>
public sealed class UpgradeBodyLifter : IDuplexPipe
{
    public const string ItemKey = "berth.upgrade-body";

    private const int MaxHeaderBytes = 64 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly IDuplexPipe inner;
    private readonly Pipe lifted = new(new PipeOptions(useSynchronizationContext: false));

    private UpgradeBodyLifter(IDuplexPipe inner)
    {
        this.inner = inner;
        _ = PumpAsync();
    }

    /// <summary>The body taken from the connection's upgrade request, or null when it had none.</summary>
    public byte[]? Body { get; private set; }

    public PipeReader Input => lifted.Reader;
    public PipeWriter Output => inner.Output;

    /// <summary>Installs the lifter on a connection and records it in the connection's items.</summary>
    public static IDuplexPipe Install(Microsoft.AspNetCore.Connections.ConnectionContext connection)
    {
        var lifter = new UpgradeBodyLifter(connection.Transport);
        connection.Items[ItemKey] = lifter;
        return lifter;
    }

    private async Task PumpAsync()
    {
        var source = inner.Input;
        var sink = lifted.Writer;
        Exception? failure = null;
        try
        {
            long bodyLeft = 0;
            var passThrough = false;
            while (true)
            {
                var result = await source.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                var consumed = buffer.Start;
                var waitForMore = false;
                while (!buffer.IsEmpty && !waitForMore)
                {
                    if (passThrough || bodyLeft > 0)
                    {
                        var take = passThrough ? buffer.Length : Math.Min(bodyLeft, buffer.Length);
                        var chunk = buffer.Slice(0, take);
                        foreach (var segment in chunk) sink.Write(segment.Span);
                        if (!passThrough) bodyLeft -= take;
                        buffer = buffer.Slice(take);
                        consumed = buffer.Start;
                        continue;
                    }
                    var end = Find(buffer, HeaderEnd);
                    if (end < 0)
                    {
                        if (buffer.Length > MaxHeaderBytes) passThrough = true;
                        else waitForMore = true;
                        continue;
                    }
                    var head = RequestHead.Parse(buffer.Slice(0, end + HeaderEnd.Length).ToArray());
                    if (head.IsUpgrade && head.ContentLength > 0)
                    {
                        var whole = end + HeaderEnd.Length + head.ContentLength;
                        if (buffer.Length < whole)
                        {
                            waitForMore = true;
                            continue;
                        }
                        Body = buffer.Slice(end + HeaderEnd.Length, head.ContentLength).ToArray();
                        sink.Write(head.WithoutContentLength());
                        buffer = buffer.Slice(whole);
                        consumed = buffer.Start;
                        passThrough = true;
                        continue;
                    }
                    foreach (var segment in buffer.Slice(0, end + HeaderEnd.Length)) sink.Write(segment.Span);
                    buffer = buffer.Slice(end + HeaderEnd.Length);
                    consumed = buffer.Start;
                    // After an upgrade the bytes are no longer HTTP; chunked bodies are not followed.
                    if (head.IsUpgrade || head.Chunked) passThrough = true;
                    else bodyLeft = head.ContentLength;
                }
                source.AdvanceTo(consumed, result.Buffer.End);
                var flushed = await sink.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted || result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        await source.CompleteAsync(failure).ConfigureAwait(false);
        await sink.CompleteAsync(failure).ConfigureAwait(false);
    }

    private static long Find(ReadOnlySequence<byte> buffer, byte[] needle)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, needle, advancePastDelimiter: false) ? before.Length : -1;
    }

    /// <summary>The parts of a request head the lifter needs.</summary>
    internal sealed class RequestHead
    {
        private readonly string[] lines;

        private RequestHead(string[] lines) => this.lines = lines;

        public bool IsUpgrade { get; private init; }
        public bool Chunked { get; private init; }
        public long ContentLength { get; private init; }

        public static RequestHead Parse(byte[] head)
        {
            var lines = Encoding.Latin1.GetString(head).Split("\r\n");
            bool connectionUpgrade = false, upgrade = false, chunked = false;
            long length = 0;
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                if (colon <= 0) continue;
                var name = line[..colon].Trim();
                var value = line[(colon + 1)..].Trim();
                if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                    connectionUpgrade |= value.Split(',').Any(t => t.Trim().Equals("upgrade", StringComparison.OrdinalIgnoreCase));
                else if (name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)) upgrade = value.Length > 0;
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = true;
                else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && long.TryParse(value, out var n) && n > 0) length = n;
            }
            return new RequestHead(lines) { IsUpgrade = connectionUpgrade && upgrade, Chunked = chunked, ContentLength = length };
        }

        public byte[] WithoutContentLength() => Encoding.Latin1.GetBytes(string.Join("\r\n",
            lines.Where(l => !l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))));
    }
}
