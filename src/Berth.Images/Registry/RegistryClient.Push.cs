using System.Net;
using System.Net.Http.Headers;
using Berth.Images.Digests;

namespace Berth.Images.Registry;

/// <summary>The write side of the OCI distribution API: blob checks, cross-repository mounts, uploads and manifests.</summary>
internal sealed partial class RegistryClient
{
    /// <summary>The size of a blob the repository holds, or null when it has none with that digest.</summary>
    public async Task<long?> StatBlobAsync(RegistryRepository repository, Digest digest, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, repository.BlobUri(digest));
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw PushFailures.ForStatus(response.StatusCode, []);
        return response.Content.Headers.ContentLength;
    }

    /// <summary>
    /// Asks the registry to link a blob of <paramref name="fromPath"/> (same registry) into the repository.
    /// True when it did (201); otherwise it opened an upload instead (202), whose URL is returned.
    /// </summary>
    public async Task<(bool Mounted, Uri? Upload)> MountBlobAsync(RegistryRepository repository, Digest digest, string fromPath, CancellationToken ct)
    {
        var uri = new Uri(repository.BaseUri, $"v2/{repository.Path}/blobs/uploads/?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromPath)}");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) };
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created) return (true, null);
        await EnsureStatusAsync(response, HttpStatusCode.Accepted, ct).ConfigureAwait(false);
        return (false, UploadLocation(response));
    }

    /// <summary>Opens an upload session: <c>POST /v2/NAME/blobs/uploads/</c>; returns where to send the content.</summary>
    public async Task<Uri> StartUploadAsync(RegistryRepository repository, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(repository.BaseUri, $"v2/{repository.Path}/blobs/uploads/"))
        {
            Content = new ByteArrayContent([]),
        };
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        await EnsureStatusAsync(response, HttpStatusCode.Accepted, ct).ConfigureAwait(false);
        return UploadLocation(response);
    }

    /// <summary>Sends <paramref name="content"/> as one chunk (<c>PATCH</c>, streamed); returns the session's next URL.</summary>
    public async Task<Uri> PatchUploadAsync(Uri upload, HttpContent content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, upload) { Content = content };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        await EnsureStatusAsync(response, HttpStatusCode.Accepted, ct).ConfigureAwait(false);
        return UploadLocation(response);
    }

    /// <summary>Closes an upload with the blob's digest (<c>PUT ?digest=</c>), sending <paramref name="content"/> too when the upload is monolithic.</summary>
    public async Task CompleteUploadAsync(Uri upload, Digest digest, byte[] content, CancellationToken ct)
    {
        var separator = string.IsNullOrEmpty(upload.Query) ? "?" : "&";
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(upload + separator + "digest=" + Uri.EscapeDataString(digest.ToString())))
        {
            Content = new ByteArrayContent(content),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        await EnsureStatusAsync(response, HttpStatusCode.Created, ct).ConfigureAwait(false);
    }

    /// <summary>Stores a manifest under a tag: <c>PUT /v2/NAME/manifests/TAG</c>.</summary>
    public async Task PutManifestAsync(RegistryRepository repository, string tag, byte[] manifest, string mediaType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, repository.ManifestUri(tag)) { Content = new ByteArrayContent(manifest) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        await EnsureStatusAsync(response, HttpStatusCode.Created, ct).ConfigureAwait(false);
    }

    private static async Task EnsureStatusAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken ct)
    {
        if (response.StatusCode == expected) return;
        var body = await ReadLimitedAsync(response.Content, 64 * 1024, ct).ConfigureAwait(false);
        throw PushFailures.ForStatus(response.StatusCode, body);
    }

    /// <summary>The upload URL a registry answers with, which may be relative to the request.</summary>
    private static Uri UploadLocation(HttpResponseMessage response)
    {
        var location = response.Headers.Location ?? throw PushFailures.MissingLocation();
        return location.IsAbsoluteUri ? location : new Uri(response.RequestMessage!.RequestUri!, location);
    }
}
