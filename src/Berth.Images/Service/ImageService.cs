using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire;
using Berth.Api.Wire.Images;
using Berth.Images.References;
using Berth.Images.Registry;
using Berth.Images.Registry.Transport;
using Berth.Images.Store;
using Berth.Images.Transfer;

namespace Berth.Images.Service;

/// <summary>
/// Everything the Engine API does with images, one method per endpoint, so each HTTP handler is
/// a single call. Results are wire types shaped for the client's API version.
/// </summary>
public sealed class ImageService
{
    private readonly ImageStore _store;
    private readonly ImageLister _lister;
    private readonly ImageInspector _inspector;
    private readonly ImageRemover _remover;
    private readonly ArchiveLoader _loader;
    private readonly ArchiveSaver _saver;
    private readonly TarballImporter _importer;
    private readonly ImageCommitter _committer;
    private readonly ImagePuller _puller;
    private readonly ImagePusher _pusher;

    /// <param name="users">The containers' use of images, which rmi and prune respect.</param>
    /// <param name="registries">The HTTP clients for registries, with their auth, TLS and download settings.</param>
    public ImageService(ImageStore store, IImageUsers users, string tempRoot, HttpClient http, RegistryTransport registries, string engineVersion)
    {
        _store = store;
        _lister = new ImageLister(store);
        _inspector = new ImageInspector(store);
        _remover = new ImageRemover(store, users);
        _loader = new ArchiveLoader(store, tempRoot);
        _saver = new ArchiveSaver(store);
        _importer = new TarballImporter(store, http, engineVersion);
        _committer = new ImageCommitter(store, engineVersion);
        var sources = new DistributionMetadata(Path.Combine(store.Root, "distribution"));
        _puller = new ImagePuller(store, registries, tempRoot, sources);
        _pusher = new ImagePusher(store, registries, sources);
    }

    public ImageStore Store => _store;

    public List<ImageSummary> List(bool all, FilterArgs filters, ApiVersion version) => _lister.List(all, filters, version);

    public ImageInspect Inspect(string name, ApiVersion version) => _inspector.Inspect(name, version);

    public List<HistoryResponseItem> History(string name) => _inspector.History(name);

    /// <summary><c>POST /images/{name}/tag</c>: the new reference is checked before the image is looked up, as dockerd does.</summary>
    public async Task TagAsync(string name, string repository, string? tag, CancellationToken ct)
    {
        var target = ImageReference.ParseNormalized(repository);
        if (target.Digest is not null) throw BerthException.InvalidParameter("refusing to create a tag with a digest reference");
        if (!string.IsNullOrEmpty(tag)) target = target.NameOnly().WithTag(tag);
        var image = _store.Resolve(name);
        _store.References.Set(target.WithDefaultTag(), image.Id);
        await _store.TouchTagTimeAsync(image.Id, ct).ConfigureAwait(false);
    }

    public Task<List<ImageDeleteResponseItem>> RemoveAsync(string name, bool force, bool prune, CancellationToken ct) =>
        _remover.RemoveAsync(name, force, prune, ct);

    public Task<ImagesPruneResponse> PruneAsync(FilterArgs filters, CancellationToken ct) => _remover.PruneAsync(filters, ct);

    public Task LoadAsync(Stream archive, JsonMessageWriter output, bool quiet, CancellationToken ct) =>
        _loader.LoadAsync(archive, output, quiet, ct);

    /// <summary>Resolves every name first (so an unknown one fails before any byte is sent), then returns the writer.</summary>
    public Func<Stream, CancellationToken, Task> PrepareSave(IReadOnlyList<string> names)
    {
        var selections = _saver.Select(names);
        return (output, ct) => _saver.SaveAsync(selections, output, ct);
    }

    public Task ImportAsync(ImportRequest request, Stream body, JsonMessageWriter output, CancellationToken ct) =>
        _importer.ImportAsync(request, body, output, ct);

    /// <summary>
    /// <c>POST /images/create?fromImage=&amp;tag=</c>: pulls from a registry. Nothing is written to
    /// <paramref name="output"/> until the image is found, so an unknown one fails with an HTTP error.
    /// </summary>
    public Task PullAsync(string fromImage, string? tag, string? platform, JsonMessageWriter output, CancellationToken ct) =>
        PullAsync(fromImage, tag, platform, RegistryCredentials.Anonymous, output, ct);

    /// <summary>As above, logged in to the registry with <paramref name="credentials"/> (from <c>X-Registry-Auth</c>).</summary>
    public Task PullAsync(string fromImage, string? tag, string? platform, RegistryCredentials credentials, JsonMessageWriter output, CancellationToken ct)
    {
        PullPlatform.EnsureHost(platform);
        return _puller.PullAsync(PullReference.Of(fromImage, tag), credentials, output, ct);
    }

    /// <summary>
    /// <c>POST /images/{name}/push?tag=</c>: pushes one tag, or every tag of the repository when
    /// no tag is named, with <paramref name="credentials"/> (from <c>X-Registry-Auth</c>). Failures
    /// after the first progress line arrive in the stream, as from dockerd.
    /// </summary>
    public Task PushAsync(string name, string? tag, RegistryCredentials credentials, JsonMessageWriter output, CancellationToken ct) =>
        _pusher.PushAsync(PushReference.Of(name, tag), credentials, output, ct);

    /// <summary><c>POST /commit</c>, once the container side has made its writable layer readable; returns the new image's ID.</summary>
    public Task<Digests.Digest> CommitAsync(ImageCommitRequest request, CancellationToken ct) => _committer.CommitAsync(request, ct);
}
