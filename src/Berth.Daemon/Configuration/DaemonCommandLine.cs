using System.CommandLine;
using System.CommandLine.Parsing;

namespace Berth.Daemon.Configuration;

/// <summary>berthd's flags, with dockerd's names, and their merge with <c>daemon.json</c>.</summary>
public sealed class DaemonCommandLine
{
    private readonly Option<string[]> _hosts = new("--host", "-H") { Description = "Daemon socket(s) to connect to (unix:///path or tcp://host:port)", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
    private readonly Option<string> _dataRoot = new("--data-root") { Description = "Root directory of persistent state", DefaultValueFactory = _ => DaemonOptions.DefaultDataRoot };
    private readonly Option<string> _execRoot = new("--exec-root") { Description = "Root directory for execution state files", DefaultValueFactory = _ => DaemonOptions.DefaultExecRoot };
    private readonly Option<string> _pidFile = new("--pidfile", "-p") { Description = "Path to use for daemon PID file (default EXEC-ROOT/berthd.pid)" };
    private readonly Option<string> _configFile = new("--config-file") { Description = "Daemon configuration file", DefaultValueFactory = _ => DaemonOptions.DefaultConfigFile };
    private readonly Option<bool> _debug = new("--debug", "-D") { Description = "Enable debug mode" };
    private readonly Option<string> _logLevel = new("--log-level", "-l") { Description = "Set the logging level (\"debug\"|\"info\"|\"warn\"|\"error\"|\"fatal\")", DefaultValueFactory = _ => "info" };
    private readonly Option<string> _storageDriver = new("--storage-driver", "-s") { Description = "Storage driver to use (overlay2|vfs)" };
    private readonly Option<string> _group = new("--group", "-G") { Description = "Group for the unix socket", DefaultValueFactory = _ => "docker" };
    private readonly Option<string> _cgroupParent = new("--cgroup-parent") { Description = "Set parent cgroup for all containers", DefaultValueFactory = _ => DaemonOptions.DefaultCgroupParent };
    private readonly Option<bool> _init = new("--init") { Description = "Run an init in containers to forward signals and reap processes" };
    private readonly Option<string> _initPath = new("--init-path") { Description = "Path to the docker-init binary (default: tini-static, as Debian's tini installs it)" };
    private readonly Option<string> _bridge = new("--bridge", "-b") { Description = "Attach containers to a network bridge", DefaultValueFactory = _ => "berth0" };
    private readonly Option<string> _bip = new("--bip") { Description = "Specify network bridge IP" };
    private readonly Option<string> _fixedCidr = new("--fixed-cidr") { Description = "IPv4 subnet for fixed IPs" };
    private readonly Option<int> _mtu = new("--mtu") { Description = "Set the containers network MTU", DefaultValueFactory = _ => 1500 };
    private readonly Option<int> _maxConcurrentUploads = new("--max-concurrent-uploads") { Description = "Set the max concurrent uploads for each push", DefaultValueFactory = _ => 5 };
    private readonly Option<string[]> _labels = new("--label") { Description = "Set key=value labels to the daemon", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string[]> _insecureRegistries = new("--insecure-registry") { Description = "Enable insecure registry communication (host[:port] or CIDR)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string[]> _registryMirrors = new("--registry-mirror") { Description = "Preferred Docker registry mirror", Arity = ArgumentArity.OneOrMore };
    private readonly Option<int> _maxConcurrentDownloads = new("--max-concurrent-downloads") { Description = "Set the max concurrent downloads for each pull", DefaultValueFactory = _ => 3 };
    private readonly Option<int> _maxDownloadAttempts = new("--max-download-attempts") { Description = "Set the max download attempts for each pull", DefaultValueFactory = _ => 5 };
    private readonly Option<string> _registryCertsDir = new("--registry-certs-dir") { Description = "Directory of per-registry CA and client certificates (HOST:PORT/*.crt, *.cert, *.key)", DefaultValueFactory = _ => Berth.Images.Registry.RegistrySettings.DefaultCertsDirectory };
    private readonly Option<bool> _version = new("--version", "-v") { Description = "Print version information and quit" };

    public RootCommand Command { get; }

    public DaemonCommandLine()
    {
        Command = new RootCommand("A self-sufficient runtime for containers, compatible with the Docker Engine API.")
        {
            _hosts, _dataRoot, _execRoot, _pidFile, _configFile, _debug, _logLevel, _storageDriver, _group, _cgroupParent, _init, _initPath, _bridge, _bip, _fixedCidr, _mtu, _maxConcurrentUploads, _labels,
            _insecureRegistries, _registryMirrors, _maxConcurrentDownloads, _maxDownloadAttempts, _registryCertsDir, _version,
        };
        foreach (var option in Command.Options.OfType<VersionOption>().ToList()) Command.Options.Remove(option);
    }

    public bool WantsVersion(ParseResult result) => result.GetValue(_version);

    /// <summary>Merges parsed flags with the configuration file; a setting given in both places is an error, as in dockerd.</summary>
    public DaemonOptions Build(ParseResult result)
    {
        var configPath = result.GetValue(_configFile)!;
        var file = ConfigFile.Read(configPath, mustExist: Given(result, _configFile));

        var conflicts = new List<string>();
        T Pick<T>(Option<T> option, string key, Func<System.Text.Json.JsonElement, T> read, Func<T, string> show)
        {
            var flagGiven = Given(result, option);
            if (file.TryGetValue(key, out var element))
            {
                var fromFile = read(element);
                if (flagGiven) conflicts.Add($"{key}: (from flag: {show(result.GetValue(option)!)}, from file: {show(fromFile)})");
                return fromFile;
            }
            return result.GetValue(option)!;
        }
        static string[] Strings(System.Text.Json.JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
        static string List(string[] values) => "[" + string.Join(" ", values) + "]";

        var hosts = Pick(_hosts, "hosts", Strings, List) ?? [];
        var dataRoot = Pick(_dataRoot, "data-root", e => e.GetString()!, s => s);
        var execRoot = Pick(_execRoot, "exec-root", e => e.GetString()!, s => s);
        var pidFile = Pick(_pidFile, "pidfile", e => e.GetString()!, s => s);
        var debug = Pick(_debug, "debug", e => e.GetBoolean(), b => b ? "true" : "false");
        var logLevel = Pick(_logLevel, "log-level", e => e.GetString()!, s => s);
        var storageDriver = Pick(_storageDriver, "storage-driver", e => e.GetString()!, s => s);
        var group = Pick(_group, "group", e => e.GetString()!, s => s);
        var labels = Pick(_labels, "labels", Strings, List) ?? [];
        var cgroupParent = Pick(_cgroupParent, "cgroup-parent", e => e.GetString()!, s => s);
        var init = Pick(_init, "init", e => e.GetBoolean(), b => b ? "true" : "false");
        var initPath = Pick(_initPath, "init-path", e => e.GetString()!, s => s);
        var bridge = Pick(_bridge, "bridge", e => e.GetString()!, s => s);
        var bip = Pick(_bip, "bip", e => e.GetString()!, s => s);
        var fixedCidr = Pick(_fixedCidr, "fixed-cidr", e => e.GetString()!, s => s);
        var mtu = Pick(_mtu, "mtu", e => e.GetInt32(), m => m.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var insecureRegistries = Pick(_insecureRegistries, "insecure-registries", Strings, List) ?? [];
        var registryMirrors = Pick(_registryMirrors, "registry-mirrors", Strings, List) ?? [];
        var maxConcurrentDownloads = Pick(_maxConcurrentDownloads, "max-concurrent-downloads", e => e.GetInt32(), m => m.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var maxDownloadAttempts = Pick(_maxDownloadAttempts, "max-download-attempts", e => e.GetInt32(), m => m.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var registryCertsDir = Pick(_registryCertsDir, "registry-certs-dir", e => e.GetString()!, s => s);
        var maxConcurrentUploads = Pick(_maxConcurrentUploads, "max-concurrent-uploads", e => e.GetInt32(), m => m.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (conflicts.Count > 0)
            throw ConfigFile.Fail(configPath, $"the following directives are specified both as a flag and in the configuration file: {string.Join(", ", conflicts)}");

        if (logLevel is not ("debug" or "info" or "warn" or "error" or "fatal"))
            throw new ConfigurationException($"unable to parse logging level: {logLevel}");
        if (storageDriver is not (null or "" or "overlay2" or "vfs"))
            throw new ConfigurationException($"error initializing graphdriver: driver not supported: {storageDriver} (berthd has overlay2 and vfs)");
        foreach (var label in labels)
            if (!label.Contains('=') || label.StartsWith('='))
                throw new ConfigurationException($"bad attribute format: {label}");
        var registry = new Berth.Images.Registry.RegistrySettings
        {
            InsecureRegistries = insecureRegistries,
            Mirrors = registryMirrors.Select(m => m.TrimEnd('/')).ToList(),
            MaxConcurrentDownloads = maxConcurrentDownloads,
            MaxConcurrentUploads = maxConcurrentUploads,
            MaxDownloadAttempts = maxDownloadAttempts,
            CertsDirectory = string.IsNullOrEmpty(registryCertsDir) ? Berth.Images.Registry.RegistrySettings.DefaultCertsDirectory : Path.GetFullPath(registryCertsDir),
        };
        if (registry.Problem() is { } problem) throw new ConfigurationException(problem);
        List<HostAddress> addresses;
        try
        {
            addresses = hosts.Length == 0 ? [HostAddress.Parse("")] : hosts.Select(HostAddress.Parse).ToList();
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(e.Message);
        }
        foreach (var path in new[] { dataRoot, execRoot })
            if (!Path.IsPathRooted(path)) throw new ConfigurationException($"{path} is not an absolute path");
        // conmon's attach socket lives at EXEC-ROOT/containers/<64-hex ID>/attach and must fit a unix socket address.
        if (Path.GetFullPath(execRoot).Length + "/containers/".Length + 64 + "/attach".Length > 107)
            throw new ConfigurationException($"the exec root {execRoot} is too long: container sockets under it would not fit a unix socket path (at most {107 - "/containers/".Length - 64 - "/attach".Length} characters)");

        return new DaemonOptions
        {
            Hosts = addresses,
            DataRoot = Path.GetFullPath(dataRoot),
            ExecRoot = Path.GetFullPath(execRoot),
            PidFile = string.IsNullOrEmpty(pidFile) ? null : Path.GetFullPath(pidFile),
            ConfigFile = configPath,
            Debug = debug,
            LogLevel = debug ? "debug" : logLevel,
            StorageDriver = string.IsNullOrEmpty(storageDriver) ? null : storageDriver,
            Group = group,
            Labels = labels,
            CgroupParent = string.IsNullOrEmpty(cgroupParent) ? DaemonOptions.DefaultCgroupParent : cgroupParent,
            Init = init,
            InitPath = string.IsNullOrEmpty(initPath) ? null : initPath,
            Bridge = string.IsNullOrEmpty(bridge) ? "berth0" : bridge,
            BridgeIp = bip ?? "",
            FixedCidr = fixedCidr ?? "",
            Mtu = mtu > 0 ? mtu : 1500,
            Registry = registry,
        };
    }

    private static bool Given(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
