using System.Text.Json;
using Berth.Api.Errors;
using Berth.Api.Wire.Containers;
using Berth.Runtime;
using Berth.Runtime.Oci;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>
    /// <c>docker update</c>: checks the new limits as dockerd does, stores them in the record (so
    /// the next start uses them) and, when the container runs, applies them at once with
    /// <c>runc update</c>. A limit the kernel refuses puts the old configuration back.
    /// </summary>
    public async Task<ContainerUpdateResponse> UpdateAsync(string reference, ContainerUpdateRequest request, CancellationToken ct)
    {
        var warnings = HostConfigValidator.Validate(ResourceUpdate.AsHostConfig(request), settings.CpuCount, update: true, blkioWeight: settings.BlkioWeight);
        warnings.AddRange(ResourceUpdate.Warnings(request));
        var container = Get(reference);
        await container.Lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var record = container.Record;
            if (record.Status is ContainerStatus.Removing or ContainerStatus.Dead)
                throw BerthException.Conflict($"Cannot update container {container.Id}: container is marked for removal and cannot be \"update\"");
            var backup = JsonSerializer.SerializeToUtf8Bytes(record.HostConfig, ContainerRecordJson.Default.HostConfig);
            try
            {
                ResourceUpdate.Apply(record.HostConfig, request);
            }
            catch (ArgumentException e)
            {
                record.HostConfig = Restore(backup);
                throw BerthException.Conflict($"Cannot update container {container.Id}: {e.Message}");
            }
            store.Save(container, durable: true);
            if (container.IsRunning)
            {
                try
                {
                    await monitor.Runc.UpdateAsync(container.Id, LiveResources(record.HostConfig, request), CancellationToken.None).ConfigureAwait(false);
                }
                catch (RuntimeException e)
                {
                    record.HostConfig = Restore(backup);
                    store.Save(container, durable: true);
                    throw BerthException.System($"Cannot update container {container.Id}: runc did not terminate successfully: exit status 1: {e.Message}\n: unknown", e);
                }
            }
        }
        finally
        {
            container.Lock.Release();
        }
        return new ContainerUpdateResponse { Warnings = warnings };
    }

    private static HostConfig Restore(byte[] backup) =>
        JsonSerializer.Deserialize(backup, ContainerRecordJson.Default.HostConfig) ?? throw new InvalidOperationException("the host configuration backup is empty");

    /// <summary>
    /// Every limit the container now has (so runc's own record stays whole), without device
    /// rules, which <c>runc update</c> does not change; a PID limit lifted by the update is sent as -1 ("max").
    /// </summary>
    private static SpecResources LiveResources(HostConfig host, ContainerUpdateRequest request)
    {
        var resources = SpecBuilder.Resources(host);
        resources.Devices = null;
        if (request.PidsLimit is <= 0) resources.Pids = new SpecPids { Limit = -1 };
        return resources;
    }
}
