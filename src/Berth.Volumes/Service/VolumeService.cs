using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Berth.Api;
using Berth.Api.Errors;
using Berth.Api.Filters;
using Berth.Api.Wire.Volumes;
using Berth.Volumes.Native;
using Berth.Volumes.Store;

namespace Berth.Volumes.Service;

/// <summary>
/// Volumes of the <c>local</c> driver: create, inspect, list, remove and prune, and mounting the
/// ones with a device or a file system type while containers use them. Which containers use a
/// volume comes from <see cref="IVolumeUsers"/>, so a volume is never removed under a container.
/// </summary>
public sealed partial class VolumeService
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, VolumeRecord> volumes = [];
    private readonly Dictionary<string, int> mounted = [];
    private readonly VolumeStore store;
    private IVolumeUsers users = NoUsers.Instance;

    public VolumeService(string root)
    {
        store = new VolumeStore(root);
        foreach (var record in store.Load()) volumes[record.Name] = record;
    }

    /// <summary>Set once the container engine exists (it is built on top of this service).</summary>
    public IVolumeUsers Users { set => users = value; }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex ValidName();

    public static bool IsValidName(string name) => ValidName().IsMatch(name);

    /// <summary>Creates a volume, or returns the one of that name (as dockerd does); an empty name makes an anonymous one.</summary>
    public Volume Create(VolumeCreateRequest request) => Describe(CreateRecord(request.Name, request.Driver, request.DriverOpts, request.Labels, anonymous: false));

    /// <summary>The volume a container's mount names, created when missing (<c>-v name:/path</c> creates it, as <c>volume create</c> would).</summary>
    public VolumeRecord Ensure(string name, string driver, IReadOnlyDictionary<string, string>? options, IReadOnlyDictionary<string, string>? labels) =>
        CreateRecord(name, driver, options?.ToDictionary(), labels?.ToDictionary(), anonymous: name.Length == 0);

    private VolumeRecord CreateRecord(string name, string driver, Dictionary<string, string>? options, Dictionary<string, string>? labels, bool anonymous)
    {
        if (driver is not ("" or "local")) throw BerthException.NotFound($"create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        if (name.Length == 0) name = NewName();
        else if (!IsValidName(name))
            throw BerthException.InvalidParameter($"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
        foreach (var key in (options ?? []).Keys)
        {
            if (key == "size") throw BerthException.InvalidParameter("quota size requested but no quota support");
            if (key is not ("type" or "device" or "o")) throw BerthException.InvalidParameter($"invalid option: \"{key}\"");
        }
        if (options is not null && options.ContainsKey("type") && !options.ContainsKey("device"))
            throw BerthException.InvalidParameter("missing required option: \"device\"");
        lock (gate)
        {
            if (volumes.TryGetValue(name, out var existing)) return existing;
            var record = new VolumeRecord
            {
                Name = name,
                CreatedAt = DateTime.UtcNow,
                Labels = labels ?? [],
                Options = options ?? [],
                Anonymous = anonymous,
            };
            store.Create(record);
            volumes[name] = record;
            return record;
        }
    }

    private static string NewName()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    public Volume Inspect(string name) => Describe(Get(name));

    public VolumeRecord Get(string name)
    {
        lock (gate) return volumes.GetValueOrDefault(name) ?? throw NoSuchVolume(name);
    }

    public VolumeRecord? TryGet(string name)
    {
        lock (gate) return volumes.GetValueOrDefault(name);
    }

    private static BerthException NoSuchVolume(string name) => BerthException.NotFound($"get {name}: no such volume");

    public VolumeListResponse List(FilterArgs filters)
    {
        filters.Validate("dangling", "driver", "label", "name");
        List<VolumeRecord> all;
        lock (gate) all = volumes.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        var rows = all.Where(v => Matches(v, filters)).Select(Describe).ToList();
        return new VolumeListResponse { Volumes = rows, Warnings = null };
    }

    private bool Matches(VolumeRecord v, FilterArgs filters)
    {
        if (filters.Contains("name") && !filters.Get("name").Any(n => NameMatches(v.Name, n))) return false;
        if (filters.Contains("driver") && !filters.Get("driver").Contains(v.Driver)) return false;
        if (!filters.MatchKeyValues("label", v.Labels)) return false;
        if (filters.Contains("dangling") && filters.GetBool("dangling", false) != (users.ContainersUsing(v.Name).Count == 0)) return false;
        return true;
    }

    /// <summary>Removes a volume no container uses; with <paramref name="force"/> an unknown one is no error.</summary>
    public void Remove(string name, bool force)
    {
        lock (gate)
        {
            if (!volumes.TryGetValue(name, out var record))
            {
                if (force) return;
                throw NoSuchVolume(name);
            }
            var using_ = users.ContainersUsing(name);
            if (using_.Count > 0)
                throw BerthException.Conflict($"remove {name}: volume is in use - [{string.Join(", ", using_)}]");
            RemoveLocked(record);
        }
    }

    /// <summary>Removes the anonymous volumes of a removed container that no other container uses.</summary>
    public void RemoveAnonymous(IEnumerable<string> names)
    {
        lock (gate)
        {
            foreach (var name in names)
                if (volumes.TryGetValue(name, out var record) && record.Anonymous && users.ContainersUsing(name).Count == 0)
                    RemoveLocked(record);
        }
    }

    private void RemoveLocked(VolumeRecord record)
    {
        if (mounted.Remove(record.Name)) MountCalls.Unmount(store.DataPath(record.Name));
        volumes.Remove(record.Name);
        store.Delete(record.Name);
    }

    /// <summary>
    /// Removes unused volumes: since API 1.42 only anonymous ones unless the filter <c>all</c> is
    /// true; older clients get dockerd 20.10's prune of every unused volume.
    /// </summary>
    public VolumesPruneResponse Prune(FilterArgs filters, ApiVersion version)
    {
        filters.Validate("label", "label!", "all");
        var all = version < new ApiVersion(1, 42) || filters.GetBool("all", false);
        var response = new VolumesPruneResponse();
        lock (gate)
        {
            foreach (var record in volumes.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList())
            {
                if (!all && !record.Anonymous) continue;
                if (!filters.MatchKeyValues("label", record.Labels)) continue;
                if (filters.Contains("label!") && filters.MatchKeyValues("label!", record.Labels)) continue;
                if (users.ContainersUsing(record.Name).Count > 0) continue;
                var size = DirectorySize.Of(store.DataPath(record.Name));
                RemoveLocked(record);
                (response.VolumesDeleted ??= []).Add(record.Name);
                response.SpaceReclaimed += (ulong)size;
            }
        }
        return response;
    }

    /// <summary>The bytes of the volume's files.</summary>
    public long SizeOf(string name) => DirectorySize.Of(DataPath(name));

    /// <summary>Where the volume's data lives on the host (its <c>Mountpoint</c>).</summary>
    public string DataPath(string name) => store.DataPath(Get(name).Name);

    /// <summary>The containers that mount the volume.</summary>
    public IReadOnlyList<string> UsersOf(string name) => users.ContainersUsing(name);

    /// <summary>Where a container mounts the volume from; a volume with a device or type is mounted on first use.</summary>
    public string Acquire(string name)
    {
        lock (gate)
        {
            var record = volumes.GetValueOrDefault(name) ?? throw NoSuchVolume(name);
            var data = store.DataPath(name);
            if (!record.NeedsMount) return data;
            if (mounted.TryGetValue(name, out var count))
            {
                mounted[name] = count + 1;
                return data;
            }
            if (IsMountPoint(data))
            {
                // Mounted by a previous berthd for a container that still runs: taken over, not mounted again.
                mounted[name] = 1;
                return data;
            }
            var type = record.Options.GetValueOrDefault("type");
            var device = record.Options.GetValueOrDefault("device", type ?? "none");
            var options = record.Options.GetValueOrDefault("o");
            var bind = options?.Split(',').Contains("bind") == true;
            try
            {
                MountCalls.Mount(device, data, bind ? null : type, bind ? MountCalls.MS_BIND : 0, bind ? null : options);
            }
            catch (IOException e)
            {
                throw BerthException.System(e.Message, e);
            }
            mounted[name] = 1;
            return data;
        }
    }

    /// <summary>A container stopped using the volume; the last one unmounts it.</summary>
    public void Release(string name)
    {
        lock (gate)
        {
            if (!mounted.TryGetValue(name, out var count)) return;
            if (count > 1) mounted[name] = count - 1;
            else
            {
                mounted.Remove(name);
                MountCalls.Unmount(store.DataPath(name));
            }
        }
    }

    /// <summary>dockerd matches <c>name=</c> as an unanchored regular expression; a pattern that is not one matches as text.</summary>
    private static bool NameMatches(string name, string pattern)
    {
        try
        {
            return Regex.IsMatch(name, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return name.Contains(pattern, StringComparison.Ordinal);
        }
    }

    private static bool IsMountPoint(string path) => File.ReadLines("/proc/self/mountinfo").Any(l => l.Split(' ')[4] == path);

    public Volume Describe(VolumeRecord v) => new()
    {
        // Go's RFC 3339 without fractions, as dockerd's local driver writes it.
        CreatedAt = v.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        Driver = v.Driver,
        // As dockerd: what was not given is null.
        Labels = v.Labels.Count > 0 ? v.Labels : null,
        Mountpoint = store.DataPath(v.Name),
        Name = v.Name,
        Options = v.Options.Count > 0 ? v.Options : null,
        Scope = "local",
    };

    private sealed class NoUsers : IVolumeUsers
    {
        public static readonly NoUsers Instance = new();
        public IReadOnlyList<string> ContainersUsing(string volumeName) => [];
    }
}
