using System.Text.Json;

namespace Berth.Network.Store;

/// <summary>The networks on disk, one JSON file each under <c>DATA-ROOT/network</c>; writes are atomic and flushed (network changes are rare).</summary>
public sealed class NetworkStore(string directory)
{
    public IReadOnlyList<NetworkRecord> Load()
    {
        Directory.CreateDirectory(directory);
        var records = new List<NetworkRecord>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            try
            {
                var record = JsonSerializer.Deserialize(File.ReadAllBytes(file), NetworkRecordJson.Default.NetworkRecord);
                if (record is not null && record.Id == Path.GetFileNameWithoutExtension(file)) records.Add(record);
            }
            catch (JsonException)
            {
                // A record cut short cannot happen (writes are renames); anything else unreadable is skipped.
            }
        }
        foreach (var tmp in Directory.EnumerateFiles(directory, "*.tmp")) File.Delete(tmp);
        return records;
    }

    public void Save(NetworkRecord record)
    {
        var path = Path.Combine(directory, record.Id + ".json");
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, record, NetworkRecordJson.Default.NetworkRecord);
            file.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    public void Delete(string id) => File.Delete(Path.Combine(directory, id + ".json"));
}
