using System.Collections.Concurrent;
using System.Text.Json;
using Berth.Api.Errors;
using Berth.Images.Storage;

namespace Berth.Engine.Containers;

/// <summary>
/// Every container by ID and by name, backed by one <c>config.v2.json</c> per container under
/// <c>DATA-ROOT/containers</c>. Lookups accept a full ID, a name (with or without its slash) or a
/// unique ID prefix, as dockerd does.
/// </summary>
public sealed class ContainerStore
{
    private const string RecordFile = "config.v2.json";
    private readonly ConcurrentDictionary<string, Container> byId = new();
    private readonly ConcurrentDictionary<string, string> idByName = new();
    private readonly string root;
    private readonly string runRoot;

    private ContainerStore(string root, string runRoot)
    {
        this.root = root;
        this.runRoot = runRoot;
    }

    public IEnumerable<Container> All => byId.Values;

    public int Count => byId.Count;

    /// <summary>Opens the store; records that cannot be read are skipped and returned, for the caller to report.</summary>
    public static ContainerStore Open(string root, string runRoot, out IReadOnlyList<string> unreadable)
    {
        Directories.CreatePrivate(root);
        Directories.CreatePrivate(runRoot);
        var store = new ContainerStore(root, runRoot);
        var bad = new List<string>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories(root))
        {
            var id = Path.GetFileName(dir);
            if (!File.Exists(Path.Combine(dir, RecordFile)))
            {
                // A create that never wrote its record, or a removal that deleted it first: nothing to keep.
                Directories.DeleteTree(dir);
                Directories.DeleteTree(Path.Combine(runRoot, id));
                continue;
            }
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(Path.Combine(dir, RecordFile)), ContainerRecordJson.Default.ContainerRecord);
                if (record is null || record.Id != id) throw new JsonException("the record does not name this container");
                var container = store.NewContainer(record);
                store.byId[id] = container;
                store.idByName[record.Name] = id;
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                bad.Add(id);
            }
        }
        unreadable = bad;
        return store;
    }

    private Container NewContainer(ContainerRecord record) =>
        new(record, Path.Combine(root, record.Id), Path.Combine(runRoot, record.Id));

    /// <summary>Finds a container by ID, name or unique ID prefix; 404 "No such container" otherwise, and dockerd's 500 for an ambiguous prefix.</summary>
    public Container Get(string reference) =>
        TryGet(reference) ?? throw BerthException.NotFound($"No such container: {reference}");

    public Container? TryGet(string reference)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        if (byId.TryGetValue(reference, out var exact)) return exact;
        var name = reference.StartsWith('/') ? reference : "/" + reference;
        if (idByName.TryGetValue(name, out var id) && byId.TryGetValue(id, out var named)) return named;
        if (!IsHexPrefix(reference)) return null;
        Container? found = null;
        foreach (var (key, container) in byId)
        {
            if (!key.StartsWith(reference, StringComparison.Ordinal)) continue;
            if (found is not null) throw BerthException.System($"Multiple IDs found with provided prefix: {reference}");
            found = container;
        }
        return found;
    }

    private static bool IsHexPrefix(string s) => s.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    public bool NameTaken(string name) => idByName.ContainsKey(name);

    /// <summary>Claims a name for a container; 409 with dockerd's wording when another has it.</summary>
    public void ReserveName(string name, string id)
    {
        var owner = idByName.GetOrAdd(name, id);
        if (owner != id)
            throw BerthException.Conflict($"Conflict. The container name \"{name}\" is already in use by container \"{owner}\". You have to remove (or rename) that container to be able to reuse that name.");
    }

    public void ReleaseName(string name, string id) => idByName.TryRemove(KeyValuePair.Create(name, id));

    /// <summary>Makes a new container known and writes its first record (with <c>Creating</c> set by the caller).</summary>
    public Container Add(ContainerRecord record)
    {
        var container = NewContainer(record);
        Directories.CreatePrivate(container.Directory);
        byId[record.Id] = container;
        // Not flushed: a process crash cannot lose it, and after a power cut the next start
        // removes the snapshot of a container whose record is gone.
        Save(container);
        return container;
    }

    /// <summary>
    /// Writes the container's record. <paramref name="durable"/> also flushes it to disk; state
    /// changes that the next start can rebuild from the monitor (start, exit) skip that.
    /// </summary>
    public void Save(Container container, bool durable = false)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(container.Record, ContainerRecordJson.Default.ContainerRecord);
        AtomicFile.WriteAllBytes(Path.Combine(container.Directory, RecordFile), bytes, durable);
    }

    /// <summary>Forgets the container and deletes its directories.</summary>
    public void Delete(Container container)
    {
        // The record goes first, so a crash in the middle never leaves a listed half-deleted container.
        File.Delete(Path.Combine(container.Directory, RecordFile));
        byId.TryRemove(container.Id, out _);
        ReleaseName(container.Name, container.Id);
        Directories.DeleteTree(container.Directory);
        Directories.DeleteTree(container.RunDirectory);
    }

    /// <summary>Changes a container's name in the index; the caller saves the record.</summary>
    public void Rename(Container container, string newName)
    {
        ReserveName(newName, container.Id);
        ReleaseName(container.Name, container.Id);
        container.Record.Name = newName;
    }
}
