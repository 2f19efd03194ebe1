using Berth.Daemon.Configuration;
using Berth.Images.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Daemon.Hosting;

/// <summary>
/// An exclusive advisory lock on the data root, held for the daemon's lifetime, so a second
/// daemon on the same data root refuses to start instead of corrupting the first one's state.
/// The kernel releases it when the process dies, so a crash never leaves a stale lock.
/// </summary>
public sealed class DataRootLock : IDisposable
{
    private readonly SafeFileHandle _handle;

    private DataRootLock(SafeFileHandle handle) => _handle = handle;

    public static DataRootLock Acquire(string dataRoot)
    {
        var path = Path.Combine(dataRoot, "berthd.lock");
        var handle = Libc.OpenLockFile(path);
        if (!Libc.TryLockExclusive(handle))
        {
            handle.Dispose();
            throw Held(dataRoot, path);
        }
        return new DataRootLock(handle);
    }

    private static ConfigurationException Held(string dataRoot, string path) =>
        new($"another berthd is already running with data root {dataRoot} (it holds {path})");

    public void Dispose() => _handle.Dispose();
}
