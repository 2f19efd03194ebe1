namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Removes what a test daemon's containers leave on the host: monitors, container processes and cgroups.</summary>
public static class Containers
{
    /// <summary>Kills every conmon working under <paramref name="execRoot"/> and every process in the daemon's cgroups, and waits for them to go.</summary>
    public static async Task KillAllAsync(string execRoot, string cgroupParent)
    {
        var pids = new HashSet<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.StartsWith("conmon ", StringComparison.Ordinal) && cmdline.Contains(execRoot + "/", StringComparison.Ordinal)) pids.Add(pid);
            }
            catch (IOException)
            {
            }
        }
        foreach (var cgroup in CgroupDirectories(cgroupParent))
            foreach (var procs in Directory.EnumerateFiles(cgroup, "cgroup.procs", SearchOption.AllDirectories))
                foreach (var line in SafeLines(procs))
                    if (int.TryParse(line, out var pid)) pids.Add(pid);
        foreach (var pid in pids) Processes.Signal(pid, 9);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (pids.Any(Processes.IsAlive) && DateTime.UtcNow < deadline) await Task.Delay(20);
    }

    public static void RemoveCgroups(string cgroupParent)
    {
        foreach (var cgroup in CgroupDirectories(cgroupParent))
        {
            foreach (var dir in Directory.EnumerateDirectories(cgroup, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length))
                TryRemove(dir);
            TryRemove(cgroup);
        }
    }

    private static void TryRemove(string dir)
    {
        try
        {
            Directory.Delete(dir);
        }
        catch (IOException)
        {
        }
    }

    private static IEnumerable<string> CgroupDirectories(string cgroupParent)
    {
        var name = cgroupParent.Trim('/');
        var roots = Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup");
        return roots.Select(r => Path.Combine(r, name)).Where(Directory.Exists).ToList();
    }

    private static IEnumerable<string> SafeLines(string file)
    {
        try
        {
            return File.ReadAllLines(file);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
