using System.IO.Compression;
using System.Net;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>
/// A request body that is a layer's tar, rebuilt from its tar-split record and gzipped as it is
/// sent: nothing is staged on disk or held whole in memory. The compressed digest and size are
/// known once the body has been sent. gzip's default level, as dockerd uses.
/// </summary>
internal sealed class LayerBlobContent(LayerStore layers, LayerRecord layer, Func<long, Task> progress) : HttpContent
{
    private const int SendBufferBytes = 256 * 1024;

    /// <summary>The digest of the compressed blob; set when the body has been sent.</summary>
    public Digest? Digest { get; private set; }

    public long CompressedSize { get; private set; }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // HttpClient owns the request stream: it is flushed, never disposed, here.
        var buffered = new BufferedStream(stream, SendBufferBytes);
        using var hashing = new HashingWriteStream(buffered);
        await using (var gzip = new GZipStream(hashing, CompressionLevel.Optimal, leaveOpen: true))
        await using (var counting = new ProgressWriteStream(gzip, progress))
        {
            await layers.WriteTarAsync(layer.ChainId, counting, cancellationToken).ConfigureAwait(false);
            await counting.ReportFinalAsync().ConfigureAwait(false);
        }
        await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        Digest = hashing.Finish();
        CompressedSize = hashing.BytesWritten;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
