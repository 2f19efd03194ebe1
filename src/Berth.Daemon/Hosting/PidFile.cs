using Berth.Daemon.Configuration;
using Berth.Images.Storage;

namespace Berth.Daemon.Hosting;

/// <summary>The daemon's PID file: refused while it names a live process, removed on a clean exit.</summary>
public sealed class PidFile : IDisposable
{
    private readonly string _path;

    private PidFile(string path) => _path = path;

    public static PidFile Create(string path)
    {
        if (File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid) && pid != Environment.ProcessId
            && Directory.Exists($"/proc/{pid}"))
            throw new ConfigurationException($"pid file found, ensure berthd is not running or delete {path}");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new PidFile(path);
    }

    public void Dispose()
    {
        try
        {
            if (File.Exists(_path) && File.ReadAllText(_path).Trim() == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                File.Delete(_path);
        }
        catch (IOException)
        {
            // Best effort on the way out.
        }
    }
}
