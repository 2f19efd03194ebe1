using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Dockerfile;

/// <summary>
/// dockerd's checks of each instruction (argument counts, flags, HEALTHCHECK options, stage names, ONBUILD triggers), run
/// for the whole file before the first step. Throws <see cref="FormatException"/> with dockerd's message.
/// </summary>
internal static partial class InstructionRules
{
    public static DockerfileInstruction Check(InstructionNode node)
    {
        var args = node.Args;
        var name = node.Keyword.ToUpperInvariant();
        Dictionary<string, string> flags;
        switch (node.Keyword)
        {
            case "from":
                StageName(args);
                flags = Flags(node, "platform");
                break;
            case "env" or "label":
                flags = Flags(node);
                if (args.Count == 0) throw new FormatException($"{name} requires at least one argument");
                for (var i = 0; i < args.Count; i += 2)
                    if (args[i].Length == 0) throw new FormatException($"{name} names can not be blank");
                break;
            case "arg":
                flags = BuilderFlags.Unchecked(node.FlagWords);
                if (args.Count == 0) throw new FormatException("ARG requires at least one argument");
                if (args.Any(a => a.StartsWith('='))) throw new FormatException("ARG names can not be blank");
                break;
            case "maintainer" or "workdir" or "user":
                if (args.Count != 1) throw new FormatException($"{name} requires exactly one argument");
                flags = Flags(node);
                break;
            case "stopsignal":
                if (args.Count != 1) throw new FormatException("STOPSIGNAL requires exactly one argument");
                flags = BuilderFlags.Unchecked(node.FlagWords);
                break;
            case "add" or "copy":
                if (args.Count < 2)
                    throw new FormatException($"{name} requires at least two arguments, but only one was provided. Destination could not be determined");
                flags = node.Keyword == "add" ? Flags(node, "chown", "chmod") : Flags(node, "chown", "from", "chmod");
                break;
            case "run":
                flags = BuilderFlags.Validate(node.FlagWords, ["mount"], "mount");
                break;
            case "cmd" or "entrypoint":
                flags = Flags(node);
                break;
            case "expose" or "volume":
                if (args.Count == 0) throw new FormatException($"{name} requires at least one argument");
                flags = Flags(node);
                if (node.Keyword == "volume" && args.Any(v => v.Trim().Length == 0))
                    throw new FormatException("VOLUME specified can not be an empty string");
                break;
            case "shell":
                flags = Flags(node);
                if (args.Count == 0) throw new FormatException("SHELL requires at least one argument");
                if (!node.IsJson) throw new FormatException("SHELL requires the arguments to be in JSON form");
                break;
            case "onbuild":
                if (args.Count == 0) throw new FormatException("ONBUILD requires at least one argument");
                flags = Flags(node);
                var trigger = args[0].ToUpperInvariant();
                if (trigger == "ONBUILD") throw new FormatException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                if (trigger is "MAINTAINER" or "FROM") throw new FormatException($"{trigger} isn't allowed as an ONBUILD trigger");
                break;
            case "healthcheck":
                flags = Healthcheck(node);
                break;
            default:
                throw new FormatException($"unknown instruction: {name}");
        }
        return new DockerfileInstruction(node.Keyword, flags, node.Rest, JsonForm(node), node.StartLine, node.EndLine, node.Original)
        {
            Args = node.Args,
            Trigger = node.Trigger is { } t ? Unchecked(t, OnbuildPrefix().Replace(node.Original, "")) : null,
        };
    }

    /// <summary>The lowercase AS name of a FROM, or null.</summary>
    public static string? StageName(IReadOnlyList<string> args)
    {
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            var stage = args[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(stage))
                throw new FormatException($"invalid name for build stage: {InstructionNode.GoQuote(args[2])}, name can't start with a number or contain symbols");
            return stage;
        }
        if (args.Count != 1) throw new FormatException("FROM requires either one or three arguments");
        return null;
    }

    private static Dictionary<string, string> Flags(InstructionNode node, params string[] allowed) => BuilderFlags.Validate(node.FlagWords, allowed);

    private static IReadOnlyList<string>? JsonForm(InstructionNode node) =>
        !node.IsJson ? null : node.Keyword == "healthcheck" ? [.. node.Args.Skip(1)] : node.Args;

    /// <summary>An ONBUILD trigger: kept as written, checked only when a later build runs it.</summary>
    private static DockerfileInstruction Unchecked(InstructionNode node, string original) =>
        new(node.Keyword, BuilderFlags.Unchecked(node.FlagWords), node.Rest, JsonForm(node), node.StartLine, node.EndLine, original)
        {
            Args = node.Args,
        };

    private static Dictionary<string, string> Healthcheck(InstructionNode node)
    {
        var args = node.Args;
        if (args.Count == 0) throw new FormatException("HEALTHCHECK requires at least one argument");
        var type = args[0].ToUpperInvariant();
        if (type == "NONE")
        {
            if (args.Count != 1) throw new FormatException("HEALTHCHECK NONE takes no arguments");
            return BuilderFlags.Unchecked(node.FlagWords);
        }
        var flags = Flags(node, "interval", "timeout", "start-period", "retries");
        if (type != "CMD") throw new FormatException($"Unknown type {InstructionNode.GoQuote(type)} in HEALTHCHECK (try CMD)");
        if (args.Count == 1) throw new FormatException("Missing command after HEALTHCHECK CMD");
        foreach (var interval in new[] { "interval", "timeout", "start-period" })
            if (flags.TryGetValue(interval, out var value) && value.Length > 0) CheckInterval(interval, value);
        if (flags.TryGetValue("retries", out var retries) && retries.Length > 0)
        {
            var digits = retries.TrimStart('+', '-');
            if (retries.Length - digits.Length > 1 || digits.Length == 0 || !digits.All(char.IsAsciiDigit))
                throw new FormatException($"strconv.ParseInt: parsing {InstructionNode.GoQuote(retries)}: invalid syntax");
            if (!int.TryParse(retries, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
                throw new FormatException($"strconv.ParseInt: parsing {InstructionNode.GoQuote(retries)}: value out of range");
            if (count < 1) throw new FormatException($"--retries must be at least 1 (not {count})");
        }
        return flags;
    }

    private static void CheckInterval(string flag, string value)
    {
        if (!Berth.Api.Filters.GoDuration.TryParse(value, out var duration))
            throw new FormatException($"time: invalid duration {InstructionNode.GoQuote(value)}");
        if (duration < TimeSpan.FromMilliseconds(1)) throw new FormatException($"Interval \"{flag}\" cannot be less than 1ms");
    }

    [GeneratedRegex(@"^[a-z][a-z0-9-_\.]*$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase)]
    private static partial Regex OnbuildPrefix();
}
