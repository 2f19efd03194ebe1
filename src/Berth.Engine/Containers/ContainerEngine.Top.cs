using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Runtime;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// <c>docker top</c>: the host's <c>ps</c> with the client's arguments (default <c>-ef</c>),
    /// keeping the rows whose PID is in the container's cgroup, as dockerd does.
    /// </summary>
    public async Task<ContainerTopResponse> TopAsync(string reference, string? psArgs, CancellationToken ct)
    {
        var args = string.IsNullOrEmpty(psArgs) ? "-ef" : psArgs;
        TopOutput.ValidateArguments(args);
        var container = Get(reference);
        var record = container.Record;
        if (record.Status == ContainerStatus.Restarting)
            throw BerthException.Conflict($"Container {container.Id} is restarting, wait until the container is running");
        if (!container.IsRunning) throw BerthException.Conflict($"Container {container.Id} is not running");

        var pids = CgroupOf(record).Processes();
        // dockerd splits on single spaces, not on runs of whitespace.
        var argv = args.Split(' ');
        var result = await CommandRunner.RunAsync("ps", [.. argv, "-q", string.Join(',', pids)], ct: ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            // Some options (such as f) cannot be combined with -q; dockerd retries without it.
            result = await CommandRunner.RunAsync("ps", argv, ct: ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                var firstLine = result.Stderr.Split('\n', 2)[0];
                throw BerthException.System("ps: " + (firstLine.Length > 0 ? firstLine : $"exit status {result.ExitCode}"));
            }
        }
        return TopOutput.Parse(result.Stdout, pids);
    }
}
