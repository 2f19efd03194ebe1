using System.Net;
using System.Security.Cryptography;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Images.Digests;
using Berth.Images.Registry.Auth;

namespace Berth.Images.Registry;

/// <summary>
/// Downloads one layer blob into a file while hashing it. A dropped connection is retried, as
/// dockerd retries (<c>Retrying in N seconds</c>, N growing by the delay step each time, at most
/// <see cref="RegistrySettings.MaxDownloadAttempts"/> tries), resuming with a Range request from
/// the bytes already written; a registry that ignores the range sends the blob again from the start.
/// </summary>
internal sealed class LayerDownloader(RegistryClient client, RegistryRepository repository, RegistrySettings settings, JsonMessageWriter output)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    public async Task DownloadAsync(Digest digest, long size, string id, string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.Asynchronous);
        var hash = digest.CreateHash();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    hash = await DownloadFromAsync(digest, size, id, file, hash, ct).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (RegistryRetry.Retryable(e) && !ct.IsCancellationRequested)
                {
                    if (attempt >= settings.MaxDownloadAttempts) throw BerthException.System(Describe(e), e);
                    await RegistryRetry.CountDownAsync(output, settings.RetryDelayStep, attempt, id, ct).ConfigureAwait(false);
                }
            }
            await output.StatusAsync("Verifying Checksum", id, ct).ConfigureAwait(false);
            var actual = Digest.Parse($"{digest.Algorithm}:{Convert.ToHexStringLower(hash.GetHashAndReset())}");
            if (actual != digest)
                throw BerthException.System(new DigestMismatchException($"layer {digest}", digest, actual).Message);
            await output.StatusAsync("Download complete", id, ct).ConfigureAwait(false);
        }
        finally
        {
            hash.Dispose();
        }
    }

    /// <summary>Appends the rest of the blob to <paramref name="file"/>; returns the hash, a new one if the download had to start over.</summary>
    private async Task<IncrementalHash> DownloadFromAsync(Digest digest, long size, string id, FileStream file, IncrementalHash hash, CancellationToken ct)
    {
        var offset = file.Length;
        using var response = await client.GetBlobAsync(repository, digest, offset, ct).ConfigureAwait(false);
        if (offset > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            file.SetLength(0);
            offset = 0;
            hash.Dispose();
            hash = digest.CreateHash();
        }
        file.Position = offset;
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        var buffer = new byte[256 * 1024];
        var lastReport = DateTime.MinValue;
        int n;
        while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            hash.AppendData(buffer, 0, n);
            offset += n;
            if (DateTime.UtcNow - lastReport >= ProgressInterval)
            {
                lastReport = DateTime.UtcNow;
                await output.ProgressAsync("Downloading", id, offset, size, ct).ConfigureAwait(false);
            }
        }
        await output.ProgressAsync("Downloading", id, offset, size, ct).ConfigureAwait(false);
        await file.FlushAsync(ct).ConfigureAwait(false);
        return hash;
    }

    private static string Describe(Exception e) => e switch
    {
        HttpIOException { HttpRequestError: HttpRequestError.ResponseEnded } => "unexpected EOF",
        _ => e.Message,
    };
}
