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
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (!Libc.TryLockExclusive(handle))
        {
            handle.Dispose();
            throw new ConfigurationException($"another berthd is already running with data root {dataRoot} (it holds {path})");
        }
        return new DataRootLock(handle);
    }

    public void Dispose() => _handle.Dispose();
}
