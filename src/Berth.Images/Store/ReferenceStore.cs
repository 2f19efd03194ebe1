using System.Collections.Immutable;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.Digests;
using Berth.Images.References;
using Berth.Images.Storage;

namespace Berth.Images.Store;

/// <summary>
/// Tags and digest references to images, kept in one JSON file rewritten atomically on
/// every change. Readers see an immutable snapshot and never wait for writers.
/// </summary>
public sealed class ReferenceStore
{
    private readonly string _file;
    private readonly Lock _writeLock = new();
    private ImmutableDictionary<string, Digest> _references;
    private ImmutableDictionary<Digest, IReadOnlyList<ImageReference>> _byImage = ImmutableDictionary<Digest, IReadOnlyList<ImageReference>>.Empty;

    public ReferenceStore(string file)
    {
        _file = file;
        var references = ImmutableDictionary.CreateBuilder<string, Digest>(StringComparer.Ordinal);
        if (File.Exists(file))
        {
            var stored = JsonSerializer.Deserialize(File.ReadAllBytes(file), ImagesJson.Default.ReferencesFile) ?? new ReferencesFile();
            foreach (var (reference, id) in stored.References)
                if (Digest.TryParse(id, out var digest)) references[reference] = digest;
        }
        _references = references.ToImmutable();
        _byImage = IndexByImage(_references);
    }

    public Digest? Get(ImageReference reference) =>
        _references.TryGetValue(reference.ToString(), out var id) ? id : null;

    /// <summary>All references to an image, sorted by how users write them, as dockerd lists them.</summary>
    public IReadOnlyList<ImageReference> ReferencesTo(Digest imageId) => _byImage.GetValueOrDefault(imageId) ?? [];

    public IReadOnlyDictionary<string, Digest> All => _references;

    /// <summary>Points a tag or digest reference at an image; returns the image it pointed at before, if another.</summary>
    public Digest? Set(ImageReference reference, Digest imageId)
    {
        if (reference.IsNameOnly) throw new ArgumentException("a reference needs a tag or digest", nameof(reference));
        lock (_writeLock)
        {
            var key = reference.ToString();
            Digest? previous = _references.TryGetValue(key, out var old) && old != imageId ? old : null;
            Save(_references.SetItem(key, imageId));
            return previous;
        }
    }

    public bool Delete(ImageReference reference)
    {
        lock (_writeLock)
        {
            var key = reference.ToString();
            if (!_references.ContainsKey(key)) return false;
            Save(_references.Remove(key));
            return true;
        }
    }

    public void DeleteAllTo(Digest imageId)
    {
        lock (_writeLock)
        {
            var remaining = _references.RemoveRange(_references.Where(r => r.Value == imageId).Select(r => r.Key));
            if (remaining.Count != _references.Count) Save(remaining);
        }
    }

    private void Save(ImmutableDictionary<string, Digest> references)
    {
        var file = new ReferencesFile
        {
            References = references.OrderBy(r => r.Key, StringComparer.Ordinal).ToDictionary(r => r.Key, r => r.Value.ToString()),
        };
        try
        {
            AtomicFile.WriteAllBytes(_file, JsonSerializer.SerializeToUtf8Bytes(file, ImagesJson.Default.ReferencesFile));
        }
        catch (IOException e)
        {
            throw BerthException.System($"saving image references: {e.Message}", e);
        }
        _byImage = IndexByImage(references);
        _references = references;
    }

    private static ImmutableDictionary<Digest, IReadOnlyList<ImageReference>> IndexByImage(ImmutableDictionary<string, Digest> references) =>
        references.GroupBy(r => r.Value).ToImmutableDictionary(
            g => g.Key,
            g => (IReadOnlyList<ImageReference>)g.Select(r => ImageReference.Parse(r.Key)).OrderBy(r => r.FamiliarString, StringComparer.Ordinal).ToList());
}
