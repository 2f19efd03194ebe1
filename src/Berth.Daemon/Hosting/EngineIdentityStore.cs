using System.Reflection;
using Berth.Engine.Info;
using Berth.Images.Storage;

namespace Berth.Daemon.Hosting;

/// <summary>The daemon's persistent ID (kept in the data root) and the build it runs.</summary>
public static class EngineIdentityStore
{
    public static EngineIdentity Load(string dataRoot)
    {
        var file = Path.Combine(dataRoot, "engine-id");
        if (!File.Exists(file)) AtomicFile.WriteAllText(file, Guid.NewGuid().ToString());
        return Build() with { Id = File.ReadAllText(file).Trim() };
    }

    /// <summary>The build alone: version and commit from the assembly, build time from the file.</summary>
    public static EngineIdentity Build()
    {
        var informational = typeof(EngineIdentityStore).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+');
        var version = plus < 0 ? informational : informational[..plus];
        var commit = plus < 0 ? "" : informational[(plus + 1)..];
        if (commit.Length > 7) commit = commit[..7];
        var built = File.GetLastWriteTimeUtc(typeof(EngineIdentityStore).Assembly.Location);
        return new EngineIdentity("", version, commit, Api.GoTime.Format(built));
    }
}
