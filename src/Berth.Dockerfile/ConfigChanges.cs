using System.Globalization;
using Berth.Api.Errors;
using Berth.Api.Wire;

namespace Berth.Dockerfile;

/// <summary>
/// Applies Dockerfile instructions given as changes (<c>docker import -c</c>, <c>docker commit -c</c>)
/// to an image configuration. Only the instructions that describe configuration are allowed,
/// with dockerd's messages for the rest.
/// </summary>
public static class ConfigChanges
{
    private static readonly HashSet<string> Allowed =
        ["cmd", "entrypoint", "env", "expose", "healthcheck", "label", "onbuild", "user", "volume", "workdir"];

    public static void Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        var lines = changes.SelectMany(c => c.Split('\n')).Where(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('#')).ToList();
        if (lines.Count == 0 && changes.Any()) throw BerthException.InvalidParameter("file with no instructions");
        var cmdSet = false;
        foreach (var line in lines)
        {
            var instruction = InstructionLine.Parse(line);
            if (!Allowed.Contains(instruction.Keyword))
                throw BerthException.InvalidParameter($"{instruction.Keyword} is not a valid change command");
            try
            {
                ApplyOne(config, instruction, ref cmdSet);
            }
            catch (FormatException e)
            {
                throw BerthException.InvalidParameter($"{instruction.Keyword.ToUpperInvariant()}: {e.Message}");
            }
        }
    }

    private static void ApplyOne(ContainerConfig config, InstructionLine line, ref bool cmdSet)
    {
        var lexer = new ShellLexer();
        var env = EnvironmentOf(config);
        switch (line.Keyword)
        {
            case "cmd":
                config.Cmd = CommandOf(line);
                cmdSet = true;
                break;
            case "entrypoint":
                config.Entrypoint = CommandOf(line);
                if (!cmdSet) config.Cmd = null;
                break;
            case "env":
                foreach (var (key, value) in KeyValues(line, lexer, env, "ENV"))
                {
                    config.Env ??= [];
                    var index = config.Env.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal) || e == key);
                    if (index >= 0) config.Env[index] = $"{key}={value}";
                    else config.Env.Add($"{key}={value}");
                    env[key] = value;
                }
                break;
            case "label":
                foreach (var (key, value) in KeyValues(line, lexer, env, "LABEL"))
                {
                    config.Labels ??= [];
                    config.Labels[key] = value;
                }
                break;
            case "expose":
                foreach (var word in lexer.ProcessWords(line.Arguments, env))
                    foreach (var port in ExpandPorts(word))
                    {
                        config.ExposedPorts ??= [];
                        config.ExposedPorts[port] = EmptyObject.Instance;
                    }
                break;
            case "user":
                config.User = lexer.ProcessWord(line.Arguments, env);
                break;
            case "volume":
                var volumes = line.JsonArray() ?? lexer.ProcessWords(line.Arguments, env);
                if (volumes.Count == 0) throw new FormatException("VOLUME specified can not be an empty string");
                foreach (var volume in volumes)
                {
                    if (volume.Trim().Length == 0) throw new FormatException("VOLUME specified can not be an empty string");
                    config.Volumes ??= [];
                    config.Volumes[volume.Trim()] = EmptyObject.Instance;
                }
                break;
            case "workdir":
                var dir = lexer.ProcessWord(line.Arguments, env);
                config.WorkingDir = CleanPath(dir.StartsWith('/') ? dir : (config.WorkingDir.Length == 0 ? "/" : config.WorkingDir) + "/" + dir);
                break;
            case "onbuild":
                var trigger = InstructionLine.Parse(line.Arguments);
                if (trigger.Keyword == "onbuild") throw new FormatException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                if (trigger.Keyword is "from" or "maintainer")
                    throw new FormatException($"{trigger.Keyword.ToUpperInvariant()} isn't allowed as an ONBUILD trigger");
                config.OnBuild ??= [];
                config.OnBuild.Add(line.Arguments.Trim());
                break;
            case "healthcheck":
                config.Healthcheck = Healthcheck(line);
                break;
        }
    }

    /// <summary>The exec form as given, or the shell form run by <c>/bin/sh -c</c>.</summary>
    public static List<string> CommandOf(InstructionLine line) =>
        line.JsonArray() is { } exec ? [.. exec] : ["/bin/sh", "-c", line.Arguments.Trim()];

    private static Dictionary<string, string> EnvironmentOf(ContainerConfig config)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in config.Env ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0) env[entry[..eq]] = entry[(eq + 1)..];
        }
        return env;
    }

    /// <summary><c>k=v k2="v 2"</c>, or the legacy <c>KEY value with spaces</c> form.</summary>
    public static List<(string Key, string Value)> KeyValues(InstructionLine line, ShellLexer lexer, IReadOnlyDictionary<string, string> env, string what)
    {
        var words = SplitRaw(line.Arguments);
        if (words.Count == 0) throw new FormatException($"{what} requires at least one argument");
        var result = new List<(string, string)>();
        if (!words[0].Contains('='))
        {
            if (words.Count < 2) throw new FormatException($"{what} must have two arguments");
            var rest = line.Arguments.Trim()[words[0].Length..].Trim();
            result.Add((lexer.ProcessWord(words[0], env), lexer.ProcessWord(rest, env)));
            return result;
        }
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq <= 0) throw new FormatException($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            var key = lexer.ProcessWord(word[..eq], env);
            var value = lexer.ProcessWord(word[(eq + 1)..], env);
            result.Add((key, value));
        }
        return result;
    }

    /// <summary>Splits on whitespace outside quotes, keeping quotes and escapes for the lexer.</summary>
    private static List<string> SplitRaw(string text)
    {
        var words = new List<string>();
        var start = -1;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"' && i + 1 < text.Length) i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (start >= 0) words.Add(text[start..i]);
                start = -1;
                continue;
            }
            if (start < 0) start = i;
            if (c is '"' or '\'') quote = c;
            else if (c == '\\') i++;
        }
        if (quote != '\0') throw new FormatException("unexpected end of statement while looking for matching quote");
        if (start >= 0) words.Add(text[start..]);
        return words;
    }

    /// <summary>A port or range with an optional protocol (<c>80</c>, <c>53/udp</c>, <c>8000-8002</c>) as <c>PORT/proto</c> keys.</summary>
    public static IEnumerable<string> ExpandPorts(string spec)
    {
        var slash = spec.IndexOf('/');
        var proto = slash < 0 ? "tcp" : spec[(slash + 1)..].ToLowerInvariant();
        var range = slash < 0 ? spec : spec[..slash];
        if (proto is not ("tcp" or "udp" or "sctp")) throw new FormatException($"invalid proto: {proto}");
        var dash = range.IndexOf('-');
        if (!ushort.TryParse(dash < 0 ? range : range[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
            throw new FormatException($"invalid containerPort: {range}");
        var last = first;
        if (dash >= 0 && (!ushort.TryParse(range[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first))
            throw new FormatException($"invalid containerPort: {range}");
        for (int p = first; p <= last; p++) yield return $"{p}/{proto}";
    }

    /// <summary>HEALTHCHECK's flags and command; throws <see cref="FormatException"/> with dockerd's messages.</summary>
    public static HealthConfig Healthcheck(InstructionLine line)
    {
        var words = line.Arguments.Trim();
        if (words.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            if (line.Flags.Count > 0) throw new FormatException("HEALTHCHECK NONE takes no flags");
            return new HealthConfig { Test = ["NONE"] };
        }
        var cmd = InstructionLine.Parse(words);
        if (cmd.Keyword != "cmd") throw new FormatException($"Unknown type \"{cmd.Keyword.ToUpperInvariant()}\" in HEALTHCHECK (try CMD)");
        var health = new HealthConfig
        {
            Test = cmd.JsonArray() is { } exec ? ["CMD", .. exec] : ["CMD-SHELL", cmd.Arguments.Trim()],
        };
        foreach (var (name, value) in line.Flags)
        {
            switch (name)
            {
                case "interval": health.Interval = Nanoseconds(value, name); break;
                case "timeout": health.Timeout = Nanoseconds(value, name); break;
                case "start-period": health.StartPeriod = Nanoseconds(value, name); break;
                case "start-interval": health.StartInterval = Nanoseconds(value, name); break;
                case "retries":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var retries) || retries < 1)
                        throw new FormatException("--retries must be at least 1");
                    health.Retries = retries;
                    break;
                default: throw new FormatException($"Unknown flag: {name}");
            }
        }
        return health;
    }

    private static long Nanoseconds(string value, string flag)
    {
        if (!Berth.Api.Filters.GoDuration.TryParse(value, out var duration))
            throw new FormatException($"time: invalid duration \"{value}\" for --{flag}");
        return duration.Ticks * 100;
    }

    private static string CleanPath(string path)
    {
        var parts = new List<string>();
        foreach (var p in path.Split('/'))
        {
            if (p.Length == 0 || p == ".") continue;
            if (p == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(p);
        }
        return "/" + string.Join('/', parts);
    }
}
