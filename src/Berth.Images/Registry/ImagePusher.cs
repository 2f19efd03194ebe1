using System.Runtime.ExceptionServices;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.References;
using Berth.Images.Registry.Transport;
using Berth.Images.Store;
using Berth.Images.Transfer;

namespace Berth.Images.Registry;

/// <summary>
/// <c>docker push</c>: for each tag, the layers (a few at once, <c>max-concurrent-uploads</c>),
/// then the configuration, then a Docker schema 2 manifest under the tag, as dockerd 20.10
/// pushes. The image then also answers to <c>repo@digest</c>.
/// </summary>
internal sealed class ImagePusher(ImageStore store, RegistryTransport transport, DistributionMetadata sources)
{
    /// <summary>dockerd 20.10's fixed number of tries per layer; a dropped connection starts the layer's upload again.</summary>
    private const int MaxUploadAttempts = 5;

    /// <param name="reference">A tag, or a repository name alone for all its tags.</param>
    public async Task PushAsync(ImageReference reference, RegistryCredentials credentials, JsonMessageWriter output, CancellationToken ct)
    {
        await output.StatusAsync($"The push refers to repository [{reference.Name}]", ct: ct).ConfigureAwait(false);
        var tags = TagsToPush(reference);
        if (tags.Count == 0) throw BerthException.NotFound($"An image does not exist locally with the tag: {reference.FamiliarName}");
        try
        {
            await EndpointFallback.RunAsync(transport, reference.Domain, credentials, async (client, endpoint) =>
            {
                foreach (var (tag, image) in tags)
                    await PushTagAsync(client, endpoint.Repository(reference.Path), tag, image, output, ct).ConfigureAwait(false);
                return true;
            }, ct, mirrors: false).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.InnerException is Auth.RegistryAuthException refused)
        {
            // dockerd's push reports a refusal to authenticate bare ("no basic auth credentials"), without the request.
            throw BerthException.System(refused.Message, e);
        }
    }

    private List<(ImageReference Tag, ImageRecord Image)> TagsToPush(ImageReference reference)
    {
        var tags = reference.IsNameOnly
            ? store.References.All.Keys.Select(ImageReference.Parse).Where(r => r.Name == reference.Name && r.Tag is not null)
                .OrderBy(r => r.ToString(), StringComparer.Ordinal).ToList()
            : [reference];
        return tags.Select(t => (Tag: t, Image: store.References.Get(t) is { } id ? store.Get(id) : null))
            .Where(t => t.Image is not null).Select(t => (t.Tag, t.Image!)).ToList();
    }

    private async Task PushTagAsync(RegistryClient client, RegistryRepository repository, ImageReference tag, ImageRecord image, JsonMessageWriter output, CancellationToken ct)
    {
        var layers = image.ChainIds.Select(store.Layers.Require).ToList();
        var blobs = await PushLayersAsync(client, repository, tag, layers, output, ct).ConfigureAwait(false);

        var config = await store.ReadConfigAsync(image.Id, ct).ConfigureAwait(false);
        if (await client.StatBlobAsync(repository, image.Id, ct).ConfigureAwait(false) is null)
        {
            var upload = await client.StartUploadAsync(repository, ct).ConfigureAwait(false);
            await client.CompleteUploadAsync(upload, image.Id, config, ct).ConfigureAwait(false);
        }

        var manifest = PushedManifest.Build(new PushedBlob(image.Id, config.Length), layers.Select(l => blobs[l.DiffId]).ToList());
        await client.PutManifestAsync(repository, tag.Tag!, manifest, MediaTypes.DockerManifest, ct).ConfigureAwait(false);
        var digest = Digest.Sha256(manifest);
        store.References.Set(tag.NameOnly().WithDigest(digest), image.Id);

        await output.StatusAsync($"{tag.Tag}: digest: {digest} size: {manifest.Length}", ct: ct).ConfigureAwait(false);
        await output.WriteAsync(new JsonMessage
        {
            ProgressDetail = new ProgressDetail(),
            Aux = JsonSerializer.SerializeToElement(new PushAux(tag.Tag!, digest.ToString(), manifest.Length), RegistryJson.Default.PushAux),
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Each distinct layer once, top layer first as dockerd lists them; a failure cancels the rest.</summary>
    private async Task<Dictionary<Digest, PushedBlob>> PushLayersAsync(RegistryClient client, RegistryRepository repository, ImageReference tag, List<LayerRecord> layers,
        JsonMessageWriter output, CancellationToken ct)
    {
        var distinct = layers.AsEnumerable().Reverse().DistinctBy(l => l.DiffId).ToList();
        foreach (var layer in distinct) await output.StatusAsync("Preparing", LayerPusher.ShortId(layer.DiffId), ct).ConfigureAwait(false);

        var pusher = new LayerPusher(store.Layers, client, sources);
        using var gate = new SemaphoreSlim(transport.Settings.MaxConcurrentUploads);
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var pushes = distinct.Select(layer => PushOneAsync(layer)).ToList();
        try
        {
            var results = await Task.WhenAll(pushes).ConfigureAwait(false);
            return distinct.Zip(results).ToDictionary(p => p.First.DiffId, p => p.Second);
        }
        catch (Exception) when (!ct.IsCancellationRequested && FirstFailure(pushes) is { } failure)
        {
            // Report the failure itself, not a sibling that it cancelled.
            ExceptionDispatchInfo.Throw(failure);
            throw;
        }

        async Task<PushedBlob> PushOneAsync(LayerRecord layer)
        {
            if (!gate.Wait(0))
            {
                await output.StatusAsync("Waiting", LayerPusher.ShortId(layer.DiffId), failed.Token).ConfigureAwait(false);
                await gate.WaitAsync(failed.Token).ConfigureAwait(false);
            }
            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        return await pusher.PushAsync(repository, tag, layer, output, failed.Token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (attempt < MaxUploadAttempts && RegistryRetry.Retryable(e) && !failed.IsCancellationRequested)
                    {
                        await RegistryRetry.CountDownAsync(output, transport.Settings.RetryDelayStep, attempt, LayerPusher.ShortId(layer.DiffId), failed.Token)
                            .ConfigureAwait(false);
                    }
                }
            }
            catch
            {
                await failed.CancelAsync().ConfigureAwait(false);
                throw;
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private static Exception? FirstFailure(IEnumerable<Task> tasks) =>
        tasks.Select(t => t.Exception?.InnerException).FirstOrDefault(e => e is not null and not OperationCanceledException);
}
