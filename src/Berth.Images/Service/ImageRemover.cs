using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire.Images;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Store;

namespace Berth.Images.Service;

/// <summary>
/// <c>docker rmi</c> and <c>docker image prune</c> with dockerd's rules: removing a reference
/// only untags while others remain; removing by ID takes all the references of a single
/// repository with it, or needs force when several repositories point at the image; an image
/// with children cannot be removed, nor (without force) one a container uses, nor (even with
/// force, by ID) one a running container uses; a removed image's untagged parents go with it.
/// </summary>
internal sealed class ImageRemover(ImageStore store, IImageUsers users)
{
    /// <summary>dockerd's conflict kinds: the hard ones hold even with force.</summary>
    [Flags]
    private enum Conflicts
    {
        DependentChild = 1,
        RunningContainer = 2,
        ActiveReference = 4,
        StoppedContainer = 8,
        Hard = DependentChild | RunningContainer,
        Soft = ActiveReference | StoppedContainer,
    }

    /// <summary>Why an image cannot go; <paramref name="Used"/> when a container is the reason.</summary>
    private sealed record Conflict(Digest Id, bool Hard, bool Used, string Why)
    {
        public BerthException ToException() =>
            BerthException.Conflict($"conflict: unable to delete {Id.Hex[..12]} ({(Hard ? "cannot be forced" : "must be forced")}) - {Why}");
    }

    private static readonly string[] PruneFilters = ["dangling", "label", "label!", "until"];

    public async Task<List<ImageDeleteResponseItem>> RemoveAsync(string name, bool force, bool prune, CancellationToken ct)
    {
        var image = store.Resolve(name);
        var records = new List<ImageDeleteResponseItem>();
        var references = store.References.ReferencesTo(image.Id);
        var removedReference = false;

        if (!IsIdPrefix(image.Id, name))
        {
            // Untagging the last reference would leave a container's image dangling: that needs force.
            if (!force && IsSingleRepository(references) && references.Count > 0 && users.UsersOf(image.Id).FirstOrDefault() is { } user)
                throw BerthException.Conflict($"conflict: unable to remove repository reference \"{name}\" (must force) - container {user.ContainerId[..12]} is using its referenced image {image.Id.Hex[..12]}");
            var given = ImageReference.ParseNormalized(name).WithDefaultTag();
            store.References.Delete(given);
            records.Add(new ImageDeleteResponseItem { Untagged = given.FamiliarString });
            references = store.References.ReferencesTo(image.Id);
            if (given.Digest is null && !references.Any(r => r.Digest is null && r.Name == given.Name))
            {
                // The last tag of a repository takes that repository's digest references along.
                foreach (var digested in references.Where(r => r.Digest is not null && r.Name == given.Name).ToList())
                {
                    store.References.Delete(digested);
                    records.Add(new ImageDeleteResponseItem { Untagged = digested.FamiliarString });
                }
                references = store.References.ReferencesTo(image.Id);
            }
            if (references.Count > 0) return records;
            removedReference = true;
        }
        else if (IsSingleRepository(references))
        {
            if (FindConflict(image.Id, force ? Conflicts.Hard : Conflicts.Hard | Conflicts.StoppedContainer) is { } conflict) throw conflict.ToException();
            foreach (var reference in references)
            {
                store.References.Delete(reference);
                records.Add(new ImageDeleteResponseItem { Untagged = reference.FamiliarString });
            }
        }

        await DeleteImageAsync(image.Id, force, prune, quiet: removedReference, records, ct).ConfigureAwait(false);
        return records;
    }

    public async Task<ImagesPruneResponse> PruneAsync(FilterArgs filters, CancellationToken ct)
    {
        filters.Validate(PruneFilters);
        var danglingOnly = filters.GetBool("dangling", true);
        var untilValues = filters.Get("until").Select(v => Timestamps.Parse(v, DateTimeOffset.UtcNow)).ToList();
        DateTimeOffset? until = untilValues.Count > 0 ? untilValues.Min() : null;
        var layerSizes = store.Layers.All().ToDictionary(l => l.ChainId.ToString(), l => l.Size);

        var candidates = store.All.Where(i => !danglingOnly || store.Children(i.Id).Count == 0).ToList();
        var deleted = new List<ImageDeleteResponseItem>();
        foreach (var image in candidates)
        {
            ct.ThrowIfCancellationRequested();
            if (store.Get(image.Id) is null) continue;
            var references = store.References.ReferencesTo(image.Id);
            if (references.Count == 0 && store.Children(image.Id).Count > 0) continue;
            if (until is { } u && image.Created is { } created && created > u) continue;
            var labels = image.Config.Config?.Labels;
            if (!filters.MatchKeyValues("label", labels)) continue;
            if (filters.Contains("label!") && filters.Get("label!").Count > 0 && filters.MatchKeyValues("label!", labels)) continue;

            if (references.Count > 0)
            {
                if (danglingOnly && references.Any(r => r.Tag is not null)) continue;
                foreach (var reference in references)
                    deleted.AddRange(await TryRemoveAsync(reference.ToString(), ct).ConfigureAwait(false));
            }
            else
            {
                deleted.AddRange(await TryRemoveAsync(image.Id.Hex, ct).ConfigureAwait(false));
            }
        }
        var reclaimed = deleted.Where(d => d.Deleted is not null).Sum(d => layerSizes.GetValueOrDefault(d.Deleted!));
        return new ImagesPruneResponse { ImagesDeleted = deleted.Count > 0 ? deleted : null, SpaceReclaimed = (ulong)reclaimed };
    }

    private async Task<List<ImageDeleteResponseItem>> TryRemoveAsync(string name, CancellationToken ct)
    {
        try
        {
            return await RemoveAsync(name, force: false, prune: true, ct).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind is ErrorKind.Conflict or ErrorKind.NotFound)
        {
            return [];
        }
    }

    private async Task DeleteImageAsync(Digest id, bool force, bool prune, bool quiet, List<ImageDeleteResponseItem> records, CancellationToken ct)
    {
        if (FindConflict(id, force ? Conflicts.Hard : Conflicts.Hard | Conflicts.Soft) is { } conflict)
        {
            // Quietly (a parent, or an image whose last tag just went): one still referenced, with children or in use just stays.
            var dangling = store.References.ReferencesTo(id).Count == 0 && store.Children(id).Count == 0;
            if (quiet && (!dangling || conflict.Used)) return;
            throw conflict.ToException();
        }
        var parent = store.Get(id)?.Parent;
        foreach (var reference in store.References.ReferencesTo(id))
        {
            store.References.Delete(reference);
            records.Add(new ImageDeleteResponseItem { Untagged = reference.FamiliarString });
        }
        var layers = await store.DeleteAsync(id, ct).ConfigureAwait(false);
        records.Add(new ImageDeleteResponseItem { Deleted = id.ToString() });
        records.AddRange(layers.Select(l => new ImageDeleteResponseItem { Deleted = l.ToString() }));
        if (prune && parent is { } p && store.Get(p) is not null && store.References.ReferencesTo(p).Count == 0)
            await DeleteImageAsync(p, force: false, prune: true, quiet: true, records, ct).ConfigureAwait(false);
    }

    /// <summary>dockerd's <c>checkImageDeleteConflict</c>: the first conflict among those in <paramref name="mask"/>, in its order.</summary>
    private Conflict? FindConflict(Digest id, Conflicts mask)
    {
        if (mask.HasFlag(Conflicts.DependentChild) && store.Children(id).Count > 0)
            return new Conflict(id, Hard: true, Used: false, "image has dependent child images");
        var containers = mask.HasFlag(Conflicts.RunningContainer) || mask.HasFlag(Conflicts.StoppedContainer) ? users.UsersOf(id) : [];
        if (mask.HasFlag(Conflicts.RunningContainer) && containers.FirstOrDefault(c => c.Running) is { } running)
            return new Conflict(id, Hard: true, Used: true, $"image is being used by running container {running.ContainerId[..12]}");
        if (mask.HasFlag(Conflicts.ActiveReference) && store.References.ReferencesTo(id).Count > 0)
            return new Conflict(id, Hard: false, Used: false, "image is referenced in multiple repositories");
        if (mask.HasFlag(Conflicts.StoppedContainer) && containers.FirstOrDefault(c => !c.Running) is { } stopped)
            return new Conflict(id, Hard: false, Used: true, $"image is being used by stopped container {stopped.ContainerId[..12]}");
        return null;
    }

    private static bool IsIdPrefix(Digest id, string name) =>
        id.ToString().StartsWith(name, StringComparison.Ordinal) || id.Hex.StartsWith(name, StringComparison.Ordinal);

    /// <summary>At most one tag, and every reference in the same repository.</summary>
    private static bool IsSingleRepository(IReadOnlyList<ImageReference> references) =>
        references.Count(r => r.Digest is null) <= 1 && references.Select(r => r.Name).Distinct().Count() <= 1;
}
