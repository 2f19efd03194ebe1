using System.Security.Cryptography;
using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

public sealed partial class ContainerEngine
{
    /// <summary>Creates a container from an image: its record, its writable snapshot and its engine files. Returns its ID and warnings.</summary>
    public async Task<ContainerCreateResponse> CreateAsync(ContainerCreateRequest request, string? name, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Image)) throw BerthException.InvalidParameter("No image specified");
        var host = request.HostConfig ?? new HostConfig();
        var warnings = HostConfigValidator.Validate(host, settings.CpuCount, settings.MemoryNodes, blkioWeight: settings.BlkioWeight);
        // conmon writes every log; its CRI format is read back as dockerd's json-file is, under the name clients know (docker-py reads logs only from json-file and journald).
        if (host.LogConfig.Type is "" or "json-file") host.LogConfig = new LogConfig { Type = "json-file" };
        else if (host.LogConfig.Type is "k8s-file") host.LogConfig = new LogConfig { Type = "k8s-file" };
        else throw BerthException.InvalidParameter($"logger: no log driver named '{host.LogConfig.Type}' is registered");

        var image = images.Resolve(request.Image);
        var config = CopyConfig(request);
        ConfigMerger.Merge(config, image.Config.Config);
        var command = (config.Entrypoint ?? []).Concat(config.Cmd ?? []).ToList();
        if (command.Count == 0) throw BerthException.InvalidParameter("No command specified");

        var id = NewId();
        var fullName = name is { Length: > 0 } ? ContainerNames.Normalize(name) : "/" + ContainerNames.Random(store.NameTaken);

        var record = new ContainerRecord
        {
            Id = id,
            Name = fullName,
            Created = DateTime.UtcNow,
            Path = command[0],
            Args = command.Skip(1).ToList(),
            Config = config,
            HostConfig = host,
            ImageId = image.Id.ToString(),
            Driver = settings.StorageDriver,
            Creating = true,
        };
        warnings.AddRange(ResolveNetworks(record, request.NetworkingConfig));
        NormalizeLinks(record);
        ResolveMounts(record);
        if (string.IsNullOrEmpty(config.Hostname))
            config.Hostname = host.NetworkMode == "host" ? System.Net.Dns.GetHostName() : id[..12];
        store.ReserveName(fullName, id);
        Container? container = null;
        try
        {
            container = store.Add(record);
            await PrepareRootAsync(id, image.TopLayer?.ToString(), ct).ConfigureAwait(false);
            await CopyUpAsync(container, ct).ConfigureAwait(false);
            EngineFiles.Write(container, host.NetworkMode == "host" ? NetworkFacts.Host : NetworkFacts.Unplumbed);
            record.Creating = false;
            store.Save(container, durable: true);
        }
        catch
        {
            if (container is not null) await DiscardAsync(container, CancellationToken.None).ConfigureAwait(false);
            else store.ReleaseName(fullName, id);
            volumes.RemoveAnonymous(record.MountPoints.Where(p => p.Anonymous).Select(p => p.Name));
            throw;
        }
        return new ContainerCreateResponse { Id = id, Warnings = warnings };
    }

    private static ContainerConfig CopyConfig(ContainerCreateRequest r) => new()
    {
        Hostname = r.Hostname,
        Domainname = r.Domainname,
        User = r.User,
        AttachStdin = r.AttachStdin,
        AttachStdout = r.AttachStdout,
        AttachStderr = r.AttachStderr,
        ExposedPorts = r.ExposedPorts,
        Tty = r.Tty,
        OpenStdin = r.OpenStdin,
        StdinOnce = r.StdinOnce,
        Env = r.Env,
        Cmd = r.Cmd,
        Healthcheck = r.Healthcheck,
        ArgsEscaped = r.ArgsEscaped,
        Image = r.Image,
        Volumes = r.Volumes,
        WorkingDir = r.WorkingDir,
        Entrypoint = r.Entrypoint,
        NetworkDisabled = r.NetworkDisabled,
        MacAddress = r.MacAddress,
        OnBuild = r.OnBuild,
        Labels = r.Labels ?? [],
        StopSignal = r.StopSignal,
        StopTimeout = r.StopTimeout,
        Shell = r.Shell,
    };

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>Deletes a container that never became whole: its snapshot, its files and its record.</summary>
    private async Task DiscardAsync(Container container, CancellationToken ct)
    {
        try
        {
            await RemoveRootAsync(container.Id, ct).ConfigureAwait(false);
        }
        finally
        {
            store.Delete(container);
        }
    }
}
