using System.Text.Json;

namespace Berth.Volumes.Store;

/// <summary>
/// Volumes on disk, one directory each under <c>DATA-ROOT/volumes</c>: <c>volume.json</c> and the
/// data in <c>_data</c>. A volume exists once its record is renamed into place (after <c>_data</c>
/// is made), so a crash never leaves one half made that is listed; its removal deletes the record
/// first.
/// </summary>
public sealed class VolumeStore(string root)
{
    private const string RecordFile = "volume.json";

    public string Root => root;

    public string DirectoryOf(string name) => Path.Combine(root, name);

    public string DataPath(string name) => Path.Combine(root, name, "_data");

    public IReadOnlyList<VolumeRecord> Load()
    {
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var records = new List<VolumeRecord>();
        foreach (var dir in Directory.EnumerateDirectories(root))
        {
            var file = Path.Combine(dir, RecordFile);
            try
            {
                var record = File.Exists(file) ? JsonSerializer.Deserialize(File.ReadAllBytes(file), VolumeRecordJson.Default.VolumeRecord) : null;
                if (record is not null && record.Name == Path.GetFileName(dir)) records.Add(record);
                else if (record is null && !File.Exists(file) && !IsMountPoint(Path.Combine(dir, "_data"))) Directory.Delete(dir, recursive: true);
            }
            catch (JsonException)
            {
                // Records are renamed into place whole: an unreadable one was damaged outside berthd; leave it for the user.
            }
        }
        return records;
    }

    /// <summary>Makes the volume's directories, then its record.</summary>
    public void Create(VolumeRecord record)
    {
        Directory.CreateDirectory(DataPath(record.Name));
        Save(record);
    }

    public void Save(VolumeRecord record)
    {
        var path = Path.Combine(DirectoryOf(record.Name), RecordFile);
        var tmp = path + ".tmp";
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, record, VolumeRecordJson.Default.VolumeRecord);
            file.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Deletes the record, then the data.</summary>
    public void Delete(string name)
    {
        File.Delete(Path.Combine(DirectoryOf(name), RecordFile));
        Directory.Delete(DirectoryOf(name), recursive: true);
    }

    private static bool IsMountPoint(string path) =>
        Directory.Exists(path) && File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == path);
}
