using System.Text.Json;
using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Dockerfile;
using Berth.Images.Archive;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.Transfer;

/// <summary>
/// <c>docker import</c>: one filesystem tarball (plain or compressed, from the request or a URL)
/// becomes a one-layer image whose configuration comes from the <c>-c</c> changes.
/// </summary>
internal sealed class TarballImporter(ImageStore store, HttpClient http, string engineVersion)
{
    public async Task ImportAsync(ImportRequest request, Stream body, JsonMessageWriter output, CancellationToken ct)
    {
        var reference = TargetReference(request);
        var (os, architecture, variant) = ParsePlatform(request.Platform);
        var config = new ContainerConfig();
        ConfigChanges.Apply(config, request.Changes);

        var source = request.Source == "-" || request.Source.Contains("://", StringComparison.Ordinal) ? request.Source : "http://" + request.Source;
        using var response = source == "-" ? null : await DownloadAsync(source, ct).ConfigureAwait(false);
        Stream tarball = body;
        if (response is not null)
        {
            await output.StatusAsync($"Downloading from {source}", ct: ct).ConfigureAwait(false);
            var total = response.Content.Headers.ContentLength ?? 0;
            tarball = new ProgressReadStream(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false),
                current => output.ProgressAsync("Importing", "", current, total, ct));
        }

        Layers.LayerRecord layer;
        try
        {
            layer = await store.Layers.RegisterAsync(tarball, parent: null, expectedDiffId: null, ct).ConfigureAwait(false);
        }
        catch (LayerFormatException e)
        {
            throw BerthException.InvalidParameter(e.Message);
        }
        var created = GoTime.Format(DateTimeOffset.UtcNow);
        var message = string.IsNullOrEmpty(request.Message) ? $"Imported from {source}" : request.Message;
        var document = new ImageConfigDocument
        {
            Architecture = architecture,
            Variant = variant,
            Comment = message,
            Config = config,
            Created = created,
            DockerVersion = engineVersion,
            History = [new HistoryEntry { Created = created, Comment = message }],
            Os = os,
            RootFs = new RootFsDocument { DiffIds = [layer.DiffId.ToString()] },
        };
        var image = await store.CreateAsync(JsonSerializer.SerializeToUtf8Bytes(document, ImagesJson.Compact.ImageConfigDocument), parent: null, ct).ConfigureAwait(false);
        if (reference is not null)
        {
            store.References.Set(reference, image.Id);
            await store.TouchTagTimeAsync(image.Id, ct).ConfigureAwait(false);
        }
        await output.StatusAsync(image.Id.ToString(), ct: ct).ConfigureAwait(false);
    }

    /// <summary>Starts downloading a tarball; the response is the caller's to dispose.</summary>
    private async Task<HttpResponseMessage> DownloadAsync(string source, CancellationToken ct)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw BerthException.InvalidParameter($"invalid import source URL: {source}");
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw BerthException.InvalidParameter($"error downloading {source}: {e.Message}");
        }
        if (response.IsSuccessStatusCode) return response;
        using (response)
            throw BerthException.InvalidParameter($"error downloading {source}: {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    private static ImageReference? TargetReference(ImportRequest request)
    {
        if (string.IsNullOrEmpty(request.Repository)) return null;
        var reference = ImageReference.ParseNormalized(request.Repository);
        if (reference.Digest is not null) throw BerthException.InvalidParameter("cannot import digest reference");
        return string.IsNullOrEmpty(request.Tag) ? reference.WithDefaultTag() : reference.NameOnly().WithTag(request.Tag);
    }

    /// <summary><c>os[/arch[/variant]]</c>; only this host's OS can run, so only it is accepted.</summary>
    private static (string Os, string Architecture, string? Variant) ParsePlatform(string? platform)
    {
        if (string.IsNullOrEmpty(platform)) return (HostPlatform.Os, HostPlatform.Architecture, null);
        var parts = platform.ToLowerInvariant().Split('/');
        if (parts[0] != HostPlatform.Os || parts.Length > 3 || parts.Any(p => p.Length == 0))
            throw BerthException.InvalidParameter($"\"{platform}\": unsupported platform: only {HostPlatform.Os} images can be imported here");
        return (parts[0], parts.Length > 1 ? parts[1] : HostPlatform.Architecture, parts.Length > 2 ? parts[2] : null);
    }
}
