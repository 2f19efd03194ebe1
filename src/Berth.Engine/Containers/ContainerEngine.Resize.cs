using System.Globalization;
using System.Text;
using Berth.Api.Errors;
using Berth.Runtime.Conmon;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>Resizes the TTY of a running container (<c>POST /containers/{id}/resize</c>).</summary>
    public Task ResizeAsync(string reference, uint height, uint width, CancellationToken ct)
    {
        var container = Get(reference);
        if (!container.IsRunning) throw BerthException.Conflict($"Container {container.Id} is not running");
        return WriteWindowSizeAsync(MonitorFiles.ControlFifo(container.RunDirectory), height, width, ct);
    }

    /// <summary>Tells a monitor the new window size through its control fifo (message 1: rows, columns).</summary>
    private static async Task WriteWindowSizeAsync(string controlFifo, uint height, uint width, CancellationToken ct)
    {
        var message = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"1 {height} {width}\n"));
        await using var fifo = new FileStream(controlFifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        await fifo.WriteAsync(message, ct).ConfigureAwait(false);
    }
}
