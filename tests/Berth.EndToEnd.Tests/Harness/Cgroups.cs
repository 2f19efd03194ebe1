namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Reads a container's cgroup files on either hierarchy: v1 controllers (<c>/sys/fs/cgroup/CONTROLLER/PARENT/ID</c>) or the unified v2 tree.</summary>
public static class Cgroups
{
    /// <summary>True when /sys/fs/cgroup is the v2 unified hierarchy (runc then uses it); false on v1 or hybrid hosts.</summary>
    public static bool Unified { get; } = File.Exists("/sys/fs/cgroup/cgroup.controllers");

    public static string V1(string cgroupParent, string id, string controller, string file) =>
        File.ReadAllText(Path.Combine("/sys/fs/cgroup", controller, cgroupParent.Trim('/'), id, file)).Trim();

    public static string V2(string cgroupParent, string id, string file) =>
        File.ReadAllText(Path.Combine("/sys/fs/cgroup", cgroupParent.Trim('/'), id, file)).Trim();

    public static bool V1Exists(string cgroupParent, string id, string controller, string file) =>
        File.Exists(Path.Combine("/sys/fs/cgroup", controller, cgroupParent.Trim('/'), id, file));

    public static bool V2Exists(string cgroupParent, string id, string file) =>
        File.Exists(Path.Combine("/sys/fs/cgroup", cgroupParent.Trim('/'), id, file));
}
