using Berth.Daemon.Configuration;
using Berth.Daemon.Hosting;

var commandLine = new DaemonCommandLine();
var parsed = commandLine.Command.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) await Console.Error.WriteLineAsync(error.Message);
    await Console.Error.WriteLineAsync("See 'berthd --help'.");
    return 1;
}
if (parsed.Action is System.CommandLine.Help.HelpAction)
    return await parsed.InvokeAsync();
if (commandLine.WantsVersion(parsed))
{
    var identity = EngineIdentityStore.Build();
    Console.WriteLine($"Berth version {identity.Version}, build {(identity.GitCommit.Length > 0 ? identity.GitCommit : "unknown")}");
    return 0;
}

if (!Environment.IsPrivilegedProcess)
{
    await Console.Error.WriteLineAsync("berthd needs to be started with root privileges (it manages mounts, namespaces and cgroups)");
    return 1;
}

try
{
    return await DaemonHost.RunAsync(commandLine.Build(parsed));
}
catch (ConfigurationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
catch (Berth.Api.Errors.BerthException e)
{
    await Console.Error.WriteLineAsync($"failed to start daemon: {e.Message}");
    return 1;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"failed to start daemon: {e.Message}");
    return 1;
}
