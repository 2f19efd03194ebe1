using System.Text.Json;

namespace Berth.Daemon.Configuration;

/// <summary>
/// <c>daemon.json</c>: the keys berthd shares with dockerd, checked strictly. Unknown keys,
/// dockerd keys berthd does not implement, wrong types and malformed JSON each stop the start
/// with a message naming the problem, worded as dockerd words it where dockerd has the same case.
/// </summary>
public static class ConfigFile
{
    /// <summary>Keys berthd reads, with the JSON kind each must have.</summary>
    public static readonly IReadOnlyDictionary<string, JsonValueKind> Supported = new Dictionary<string, JsonValueKind>
    {
        ["hosts"] = JsonValueKind.Array,
        ["data-root"] = JsonValueKind.String,
        ["exec-root"] = JsonValueKind.String,
        ["pidfile"] = JsonValueKind.String,
        ["debug"] = JsonValueKind.True,
        ["log-level"] = JsonValueKind.String,
        ["storage-driver"] = JsonValueKind.String,
        ["group"] = JsonValueKind.String,
        ["labels"] = JsonValueKind.Array,
        ["cgroup-parent"] = JsonValueKind.String,
        ["init"] = JsonValueKind.True,
        ["init-path"] = JsonValueKind.String,
        ["bridge"] = JsonValueKind.String,
        ["bip"] = JsonValueKind.String,
        ["fixed-cidr"] = JsonValueKind.String,
        ["mtu"] = JsonValueKind.Number,
        ["insecure-registries"] = JsonValueKind.Array,
        ["registry-mirrors"] = JsonValueKind.Array,
        ["max-concurrent-downloads"] = JsonValueKind.Number,
        ["max-download-attempts"] = JsonValueKind.Number,
        ["registry-certs-dir"] = JsonValueKind.String,
        ["max-concurrent-uploads"] = JsonValueKind.Number,
    };

    /// <summary>dockerd's other keys: recognised, so the message can say they are not implemented rather than unknown.</summary>
    private static readonly HashSet<string> DockerdOnly =
    [
        "allow-nondistributable-artifacts", "api-cors-header", "authorization-plugins", "builder",
        "cluster-advertise", "cluster-store", "cluster-store-opts", "containerd", "containerd-namespace",
        "containerd-plugin-namespace", "cpu-rt-period", "cpu-rt-runtime", "default-address-pools", "default-cgroupns-mode",
        "default-gateway", "default-gateway-v6", "default-ipc-mode", "default-runtime", "default-shm-size", "default-ulimits",
        "deprecated-key-path", "dns", "dns-opts", "dns-search", "exec-opts", "exec-root-opts", "experimental", "features",
        "fixed-cidr-v6", "graph", "icc", "ip", "ip-forward",
        "ip-masq", "ip6tables", "iptables", "ipv6", "live-restore", "log-driver", "log-format", "log-opts",
        "metrics-addr",
        "no-new-privileges", "node-generic-resources", "oom-score-adjust", "proxies", "raw-logs", "runtimes", "seccomp-profile", "selinux-enabled", "shutdown-timeout", "storage-opts", "swarm-default-advertise-addr",
        "tls", "tlscacert", "tlscert", "tlskey", "tlsverify", "userland-proxy", "userland-proxy-path", "userns-remap",
    ];

    /// <summary>Reads the file; a missing file is an error only when <paramref name="mustExist"/>.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Read(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            if (mustExist) throw Fail(path, $"open {path}: no such file or directory");
            return new Dictionary<string, JsonElement>();
        }
        var text = File.ReadAllText(path);
        if (text.Trim().Length == 0) return new Dictionary<string, JsonElement>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw Fail(path, e.Message);
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Fail(path, "the configuration must be a JSON object");

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var unknown = new List<string>();
        var unsupported = new List<string>();
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            if (Supported.TryGetValue(property.Name, out var kind))
            {
                CheckKind(path, property, kind);
                values[property.Name] = property.Value.Clone();
            }
            else if (DockerdOnly.Contains(property.Name)) unsupported.Add(property.Name);
            else unknown.Add(property.Name);
        }
        if (unknown.Count > 0)
            throw Fail(path, $"the following directives don't match any configuration option: {string.Join(", ", unknown.Order(StringComparer.Ordinal))}");
        if (unsupported.Count > 0)
            throw Fail(path, $"the following directives are dockerd options that berthd does not support yet: {string.Join(", ", unsupported.Order(StringComparer.Ordinal))}");
        return values;
    }

    private static void CheckKind(string path, JsonProperty property, JsonValueKind kind)
    {
        var actual = property.Value.ValueKind;
        var ok = kind switch
        {
            JsonValueKind.True => actual is JsonValueKind.True or JsonValueKind.False,
            JsonValueKind.Array => actual == JsonValueKind.Array && property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
            _ => actual == kind,
        };
        if (ok) return;
        var wanted = kind switch
        {
            JsonValueKind.True => "a boolean",
            JsonValueKind.Array => "an array of strings",
            JsonValueKind.Number => "a number",
            _ => "a string",
        };
        throw Fail(path, $"\"{property.Name}\" must be {wanted}, not {Describe(actual)}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    public static ConfigurationException Fail(string path, string message) =>
        new($"unable to configure the Berth daemon with file {path}: {message}");
}
