using System.Net.Http.Headers;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;

namespace Berth.Images.Registry;

/// <summary>The read side of the OCI distribution API, anonymously: manifests and blobs of one repository.</summary>
internal sealed partial class RegistryClient(HttpClient http)
{
    private const long MaxManifestBytes = 4 * 1024 * 1024;

    /// <summary>The manifest <paramref name="reference"/> names by its tag or digest; one fetched by digest is checked against it.</summary>
    public async Task<FetchedManifest> GetManifestAsync(RegistryRepository repository, ImageReference reference, CancellationToken ct)
    {
        var tagOrDigest = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.ManifestUri(tagOrDigest));
        foreach (var type in RegistryMediaTypes.ManifestAccept) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, MaxManifestBytes, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw RegistryFailures.ForManifest(reference, response.StatusCode, RegistryError.Parse(bytes));
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? "";
        var digest = Digest.Sha256(bytes);
        if (reference.Digest is { } expected)
            DigestMismatchException.ThrowIfDifferent($"manifest {reference.FamiliarString}", expected, digest);
        return new FetchedManifest(bytes, digest, mediaType);
    }

    /// <summary>A small blob (an image configuration), read whole and checked against its digest.</summary>
    public async Task<byte[]> GetSmallBlobAsync(RegistryRepository repository, Digest digest, long maxBytes, CancellationToken ct)
    {
        using var response = await GetBlobAsync(repository, digest, ct).ConfigureAwait(false);
        var bytes = await ReadLimitedAsync(response.Content, maxBytes, ct).ConfigureAwait(false);
        DigestMismatchException.ThrowIfDifferent($"blob {digest}", digest, Digest.Sha256(bytes));
        return bytes;
    }

    /// <summary>Starts a blob download; the response (with its body unread) is the caller's to dispose.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(RegistryRepository repository, Digest digest, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.BlobUri(digest));
        var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var bytes = await ReadLimitedAsync(response.Content, 64 * 1024, ct).ConfigureAwait(false);
            throw RegistryFailures.ForBlob($"blob {digest}", response.StatusCode, RegistryError.Parse(bytes));
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            // As dockerd words a registry it cannot reach: Get "https://registry-1.docker.io/v2/...": <cause>.
            throw BerthException.System($"{GoMethodName(request.Method)} \"{request.RequestUri}\": {e.Message}", e);
        }
    }

    private static async Task<byte[]> ReadLimitedAsync(HttpContent content, long maxBytes, CancellationToken ct)
    {
        if (content.Headers.ContentLength > maxBytes) throw BerthException.System($"registry response is larger than {maxBytes} bytes");
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > maxBytes) throw BerthException.System($"registry response is larger than {maxBytes} bytes");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
