using System.Diagnostics;
using System.IO.Compression;
using Berth.Api.Errors;

namespace Berth.Images.Archive;

/// <summary>
/// Recognises a compressed stream by its magic bytes and returns the decompressed stream, as
/// dockerd's DecompressStream does: gzip in-process; bzip2, xz and zstd through the system's
/// own decompressors (off the hot path: only user-supplied archives use them).
/// </summary>
public static class Decompression
{
    public enum Format { None, Gzip, Bzip2, Xz, Zstd }

    public static Format Detect(ReadOnlySpan<byte> head) => head switch
    {
        [0x1f, 0x8b, ..] => Format.Gzip,
        [(byte)'B', (byte)'Z', (byte)'h', ..] => Format.Bzip2,
        [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => Format.Xz,
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Format.Zstd,
        _ => Format.None,
    };

    public static async Task<Stream> OpenAsync(Stream input, CancellationToken ct)
    {
        var (head, stream) = await PrefixedStream.PeekAsync(input, 6, ct).ConfigureAwait(false);
        return Detect(head) switch
        {
            Format.Gzip => new GZipStream(stream, CompressionMode.Decompress),
            Format.Bzip2 => ExternalDecompressor.Start("bzip2", stream, ct),
            Format.Xz => ExternalDecompressor.Start("xz", stream, ct),
            Format.Zstd => ExternalDecompressor.Start("zstd", stream, ct),
            _ => stream,
        };
    }

    /// <summary>Pipes a stream through <c>TOOL -dc</c> and reads its output.</summary>
    private sealed class ExternalDecompressor : Storage.ReadOnlyStream
    {
        private readonly Process _process;
        private readonly Task _feed;
        private readonly Stream _output;
        private readonly string _tool;

        private ExternalDecompressor(string tool, Process process, Task feed)
        {
            _tool = tool;
            _process = process;
            _feed = feed;
            _output = process.StandardOutput.BaseStream;
        }

        public static Stream Start(string tool, Stream input, CancellationToken ct)
        {
            var start = new ProcessStartInfo(tool, ["-dc"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            Process process;
            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException();
            }
            catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                throw BerthException.InvalidParameter($"archive is compressed with {tool}, but {tool} is not installed on the daemon's host");
            }
            var feed = Task.Run(async () =>
            {
                try
                {
                    await input.CopyToAsync(process.StandardInput.BaseStream, ct).ConfigureAwait(false);
                }
                finally
                {
                    process.StandardInput.Close();
                }
            }, ct);
            return new ExternalDecompressor(tool, process, feed);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await _output.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (n == 0) await FinishAsync(cancellationToken).ConfigureAwait(false);
            return n;
        }

        public override int Read(Span<byte> buffer) => _output.Read(buffer);

        private async Task FinishAsync(CancellationToken ct)
        {
            await _feed.ConfigureAwait(false);
            await _process.WaitForExitAsync(ct).ConfigureAwait(false);
            if (_process.ExitCode != 0)
            {
                var error = await _process.StandardError.ReadToEndAsync(ct).ConfigureAwait(false);
                throw new InvalidDataException($"{_tool}: {error.Trim()}");
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                if (!_process.HasExited) _process.Kill();
                _process.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
