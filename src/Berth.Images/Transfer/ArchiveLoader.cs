using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Images.Archive;
using Berth.Images.Digests;
using Berth.Images.Layers;
using Berth.Images.Store;
using Berth.Images.Storage;

namespace Berth.Images.Transfer;

/// <summary>
/// <c>docker load</c>: unpacks an archive (plain, gzip, bzip2 or xz), registers the layers it
/// lacks after checking each against its diff ID, stores the images and points their tags at them.
/// An image is stored only when all its layers are; a failure leaves earlier images loaded.
/// </summary>
internal sealed class ArchiveLoader(ImageStore store, string tempRoot)
{
    public async Task LoadAsync(Stream input, JsonMessageWriter output, bool quiet, CancellationToken ct)
    {
        var dir = Directories.CreateTemp(tempRoot, "load-");
        try
        {
            // The archive is unpacked with the same rules as a layer: nothing it names can land outside the directory.
            await using (var decompressed = await Decompression.OpenAsync(input, ct).ConfigureAwait(false))
                await new LayerApplier(dir, WhiteoutMode.Delete).ApplyAsync(decompressed, ct).ConfigureAwait(false);
            foreach (var image in ArchiveReader.Read(dir))
                await LoadImageAsync(dir, image, output, quiet, ct).ConfigureAwait(false);
        }
        catch (LayerFormatException e)
        {
            throw BerthException.InvalidParameter(e.Message);
        }
        finally
        {
            await Task.Run(() => Directories.DeleteTree(dir), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task LoadImageAsync(string root, ArchivedImage archived, JsonMessageWriter output, bool quiet, CancellationToken ct)
    {
        var configPath = RootedPath.Resolve(root, archived.ConfigPath, followLast: true);
        if (!File.Exists(configPath)) throw new LayerFormatException($"invalid archive: {archived.ConfigPath} is missing");
        var configBytes = await File.ReadAllBytesAsync(configPath, ct).ConfigureAwait(false);
        if (archived.ConfigDigest is { } expectedConfig && Digest.Sha256(configBytes) != expectedConfig)
            throw new LayerFormatException($"invalid archive: image configuration {archived.ConfigPath} does not match its digest");
        var config = ImageStore.ParseConfig(configBytes);
        if (config.Os != HostPlatform.Os) throw new LayerFormatException($"cannot load {config.Os} image on {HostPlatform.Os}");
        var diffIds = config.RootFs.DiffIds.Select(Digest.Parse).ToList();
        if (archived.Layers.Count != diffIds.Count)
            throw new LayerFormatException($"invalid manifest, layers length mismatch: expected {archived.Layers.Count}, got {diffIds.Count}");

        Digest? parent = null;
        for (var i = 0; i < diffIds.Count; i++)
        {
            var chain = ChainId.Of(parent, diffIds[i]);
            if (store.Layers.Get(chain) is null)
                await LoadLayerAsync(root, archived.Layers[i], parent, diffIds[i], i, output, quiet, ct).ConfigureAwait(false);
            parent = chain;
        }

        var image = await store.CreateAsync(configBytes, parent: null, ct).ConfigureAwait(false);
        foreach (var tag in archived.Tags)
        {
            if (store.References.Set(tag, image.Id) is { } previous)
                await output.StreamAsync($"The image {tag.FamiliarString} already exists, renaming the old one with ID {previous} to empty string\n", ct).ConfigureAwait(false);
            await output.StreamAsync($"Loaded image: {tag.FamiliarString}\n", ct).ConfigureAwait(false);
        }
        if (archived.Tags.Count == 0)
            await output.StreamAsync($"Loaded image ID: {image.Id}\n", ct).ConfigureAwait(false);
    }

    private async Task LoadLayerAsync(string root, ArchivedLayer layer, Digest? parent, Digest diffId, int index,
        JsonMessageWriter output, bool quiet, CancellationToken ct)
    {
        var path = RootedPath.Resolve(root, layer.RelativePath, followLast: true);
        if (!File.Exists(path)) throw new LayerFormatException($"invalid archive: layer {layer.RelativePath} is missing");
        var total = new FileInfo(path).Length;
        var id = diffId.Hex[..12];
        Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.SequentialScan);
        if (!quiet) file = new ProgressReadStream(file, current => output.ProgressAsync("Loading layer", id, current, total, ct));
        // An OCI blob is checked against its digest as well; a docker-archive layer only against its diff ID.
        var hashing = layer.BlobDigest is null ? null : new HashingReadStream(file);
        await using var input = hashing ?? file;
        try
        {
            await store.Layers.RegisterAsync(input, parent, diffId, ct, verify: hashing is null ? null : async c =>
            {
                await hashing.CopyToAsync(Stream.Null, c).ConfigureAwait(false); // bytes after the compressed tar count too
                if (hashing.Finish() != layer.BlobDigest)
                    throw new LayerFormatException($"invalid archive: layer {layer.RelativePath} does not match its digest {layer.BlobDigest}");
            }).ConfigureAwait(false);
        }
        catch (DiffIdMismatchException e)
        {
            throw new LayerFormatException($"invalid diffID for layer {index}: expected \"{e.Expected}\", got \"{e.Actual}\"");
        }
    }
}
