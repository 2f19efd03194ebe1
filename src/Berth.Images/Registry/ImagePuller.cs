using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Images.Archive;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Images.Registry.Transport;
using Berth.Images.Storage;
using Berth.Images.Store;
using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>
/// <c>docker pull</c>: resolves the manifest and configuration first (so an unknown image fails
/// before any progress is written and the client sees an HTTP error), then downloads the missing
/// layers a few at a time into temporary files, each checked against its digest, and registers
/// them in order. The image is stored and tagged only when every layer is.
/// </summary>
internal sealed class ImagePuller(ImageStore store, RegistryTransport transport, string tempRoot, DistributionMetadata sources)
{
    private const long MaxConfigBytes = 8 * 1024 * 1024;

    /// <summary>From the first of the reference's endpoints that has it (see <see cref="EndpointFallback"/>).</summary>
    public async Task PullAsync(ImageReference reference, RegistryCredentials credentials, JsonMessageWriter output, CancellationToken ct)
    {
        try
        {
            await EndpointFallback.RunAsync(transport, reference.Domain, credentials, async (client, endpoint) =>
            {
                var repository = endpoint.Repository(reference.Path);
                var newer = reference.IsNameOnly
                    ? await PullAllTagsAsync(client, repository, reference, output, ct).ConfigureAwait(false)
                    : await PullFromAsync(client, repository, reference, output, ct).ConfigureAwait(false);
                await output.StatusAsync(newer
                    ? $"Status: Downloaded newer image for {reference.FamiliarString}"
                    : $"Status: Image is up to date for {reference.FamiliarString}", ct: ct).ConfigureAwait(false);
                return true;
            }, ct).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unauthorized)
        {
            // A pull answers a registry's refusal with 500, as dockerd does; only /auth and /distribution say 401.
            throw BerthException.System(e.Message, e);
        }
    }

    /// <summary><c>docker pull -a</c>: each tag the registry lists, in its order; true when any tag brought a newer image.</summary>
    private async Task<bool> PullAllTagsAsync(RegistryClient client, RegistryRepository repository, ImageReference name, JsonMessageWriter output, CancellationToken ct)
    {
        var tags = await client.ListTagsAsync(repository, name, ct).ConfigureAwait(false);
        if (tags.Count == 0) throw BerthException.NotFound($"no tags available for {name.FamiliarName}");
        var newer = false;
        foreach (var tag in tags)
            newer |= await PullFromAsync(client, repository, name.WithTag(tag), output, ct).ConfigureAwait(false);
        return newer;
    }

    /// <summary>One tag or digest, up to its <c>Digest:</c> line; true when the image or its tag is new here.</summary>
    private async Task<bool> PullFromAsync(RegistryClient client, RegistryRepository repository, ImageReference reference, JsonMessageWriter output, CancellationToken ct)
    {
        var resolved = await Verified(() => ManifestResolver.ResolveAsync(client, repository, reference, ct)).ConfigureAwait(false);
        var configDigest = ParseDigest(resolved.Manifest.Config.Digest);
        var configBytes = await Verified(() => client.GetSmallBlobAsync(repository, configDigest, MaxConfigBytes, ct)).ConfigureAwait(false);
        var config = ImageStore.ParseConfig(configBytes);
        if (config.Os != HostPlatform.Os)
            throw BerthException.InvalidParameter($"image operating system \"{config.Os}\" cannot be used on this platform");
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToList();
        if (diffIds.Count != resolved.Manifest.Layers.Count)
            throw BerthException.System($"invalid manifest: {resolved.Manifest.Layers.Count} layers for {diffIds.Count} diff IDs in the image configuration");

        await output.StatusAsync($"Pulling from {reference.Path}", reference.Tag ?? reference.Digest?.ToString(), ct).ConfigureAwait(false);
        var downloader = new LayerDownloader(client, repository, transport.Settings, output);
        var downloaded = await PullLayersAsync(downloader, resolved.Manifest.Layers, diffIds, output, ct).ConfigureAwait(false);

        RecordSources(reference, resolved.Manifest.Layers, diffIds);
        var image = await store.CreateAsync(configBytes, parent: null, ct).ConfigureAwait(false);
        var tagged = reference.Digest is null ? reference : null;
        var upToDate = !downloaded && (tagged is null || store.References.Get(tagged) == image.Id);
        if (tagged is not null) store.References.Set(tagged, image.Id);
        store.References.Set(reference.NameOnly().WithDigest(resolved.Digest), image.Id);
        if (tagged is not null) await store.TouchTagTimeAsync(image.Id, ct).ConfigureAwait(false);

        await output.StatusAsync($"Digest: {resolved.Digest}", ct: ct).ConfigureAwait(false);
        return !upToDate;
    }

    /// <summary>Remembers where each gzip layer came from, so a push to the same registry can mount or skip it.</summary>
    private void RecordSources(ImageReference reference, IReadOnlyList<OciDescriptor> layers, IReadOnlyList<Digest> diffIds)
    {
        for (var i = 0; i < layers.Count; i++)
            if (layers[i].MediaType is RegistryMediaTypes.DockerLayerGzip or MediaTypes.OciLayerGzip && Digest.TryParse(layers[i].Digest, out var blob))
                sources.Add(diffIds[i], blob, reference.Name);
    }

    /// <summary>Registers every layer the store lacks; true when any had to be downloaded.</summary>
    private async Task<bool> PullLayersAsync(LayerDownloader downloader, IReadOnlyList<OciDescriptor> layers, IReadOnlyList<Digest> diffIds,
        JsonMessageWriter output, CancellationToken ct)
    {
        var chains = ChainId.OfStack(diffIds);
        var missing = Enumerable.Range(0, layers.Count).Where(i => store.Layers.Get(chains[i]) is null).ToHashSet();
        foreach (var (layer, i) in layers.Select((l, i) => (l, i)))
            await output.StatusAsync(missing.Contains(i) ? "Pulling fs layer" : "Already exists", ShortId(layer), ct).ConfigureAwait(false);
        if (missing.Count == 0) return false;

        var dir = Directories.CreateTemp(tempRoot, "pull-");
        using var downloadsCancel = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // As in dockerd's transfer manager, a limit of 0 is no limit.
        var limit = transport.Settings.MaxConcurrentDownloads;
        using var gate = new SemaphoreSlim(limit > 0 ? limit : layers.Count);
        var downloads = new Dictionary<int, Task<string>>();
        try
        {
            foreach (var i in missing.Order())
                downloads[i] = DownloadAsync(downloader, layers[i], Path.Combine(dir, i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    gate, output, downloadsCancel.Token);
            Digest? parent = null;
            for (var i = 0; i < layers.Count; i++)
            {
                if (downloads.TryGetValue(i, out var download))
                    await ExtractAsync(await download.ConfigureAwait(false), layers[i], parent, diffIds[i], i, output, ct).ConfigureAwait(false);
                parent = chains[i];
            }
            return true;
        }
        finally
        {
            await downloadsCancel.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(downloads.Values).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Already reported through the layer that failed first; the others were cancelled.
            }
            await Task.Run(() => Directories.DeleteTree(dir), CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads once a slot is free; a layer that has to queue says "Waiting", as in dockerd.</summary>
    private static async Task<string> DownloadAsync(LayerDownloader downloader, OciDescriptor layer, string path, SemaphoreSlim gate,
        JsonMessageWriter output, CancellationToken ct)
    {
        var digest = ParseDigest(layer.Digest);
        var id = ShortId(layer);
        if (!gate.Wait(0))
        {
            await output.StatusAsync("Waiting", id, ct).ConfigureAwait(false);
            await gate.WaitAsync(ct).ConfigureAwait(false);
        }
        try
        {
            await downloader.DownloadAsync(digest, layer.Size, id, path, ct).ConfigureAwait(false);
            return path;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task ExtractAsync(string path, OciDescriptor layer, Digest? parent, Digest diffId, int index,
        JsonMessageWriter output, CancellationToken ct)
    {
        var id = ShortId(layer);
        var total = new FileInfo(path).Length;
        await using var file = new ProgressReadStream(
            new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan),
            current => output.ProgressAsync("Extracting", id, current, total, ct));
        try
        {
            await store.Layers.RegisterAsync(file, parent, diffId, ct).ConfigureAwait(false);
        }
        catch (DiffIdMismatchException e)
        {
            throw BerthException.System($"invalid diffID for layer {index}: expected \"{e.Expected}\", got \"{e.Actual}\"");
        }
        catch (LayerFormatException e)
        {
            throw BerthException.System($"failed to register layer {layer.Digest}: {e.Message}");
        }
        await output.StatusAsync("Pull complete", id, ct).ConfigureAwait(false);
    }

    private static async Task<T> Verified<T>(Func<Task<T>> fetch)
    {
        try
        {
            return await fetch().ConfigureAwait(false);
        }
        catch (DigestMismatchException e)
        {
            throw BerthException.System(e.Message);
        }
    }

    private static Digest ParseDigest(string text) =>
        Digest.TryParse(text, out var digest) ? digest : throw BerthException.System($"the registry sent an invalid digest \"{text}\"");

    private static string ShortId(OciDescriptor layer) =>
        Digest.TryParse(layer.Digest, out var digest) ? digest.Hex[..12] : layer.Digest;
}
