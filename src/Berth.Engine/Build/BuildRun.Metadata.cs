using Berth.Api.Errors;
using Berth.Api.Wire;
using Berth.Dockerfile;
using Berth.Engine.Containers;

namespace Berth.Engine.Build;

public sealed partial class BuildRun
{
    /// <summary>The instructions that only change the configuration, each committed with dockerd's history comment.</summary>
    private Task MetadataAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct)
    {
        var line = new InstructionLine(instruction.Keyword, instruction.Flags, instruction.Arguments, instruction.Original);
        return CommitMetadataAsync(state, Apply(state, instruction, line), ct);
    }

    /// <summary>Changes the stage's configuration; returns the history comment.</summary>
    private string Apply(StageState state, DockerfileInstruction instruction, InstructionLine line)
    {
        var config = state.RunConfig;
        switch (instruction.Keyword)
        {
            case "env":
            {
                var pairs = ConfigChanges.KeyValues(line, _lexer, state.ExpansionEnvironment(), "ENV");
                config.Env ??= [];
                foreach (var (key, value) in pairs)
                {
                    var index = config.Env.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal) || e == key);
                    if (index >= 0) config.Env[index] = $"{key}={value}";
                    else config.Env.Add($"{key}={value}");
                }
                return "ENV " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
            }
            case "label":
            {
                var pairs = ConfigChanges.KeyValues(line, _lexer, state.ExpansionEnvironment(), "LABEL");
                config.Labels ??= [];
                foreach (var (key, value) in pairs) config.Labels[key] = value;
                return "LABEL " + string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
            }
            case "maintainer":
                state.Maintainer = instruction.Arguments.Trim();
                return "MAINTAINER " + state.Maintainer;
            case "expose":
            {
                var ports = _lexer.ProcessWords(instruction.Arguments, state.ExpansionEnvironment());
                if (ports.Count == 0) throw new FormatException("EXPOSE requires at least one argument");
                config.ExposedPorts ??= [];
                foreach (var port in ports.SelectMany(ConfigChanges.ExpandPorts)) config.ExposedPorts[port] = EmptyObject.Instance;
                return "EXPOSE " + string.Join(' ', ports.Order(StringComparer.Ordinal));
            }
            case "user":
                config.User = _lexer.ProcessWord(instruction.Arguments.Trim(), state.ExpansionEnvironment());
                return "USER " + config.User;
            case "volume":
            {
                var volumes = Words(instruction, state.ExpansionEnvironment());
                if (volumes.Count == 0 || volumes.Any(v => v.Trim().Length == 0)) throw new FormatException("VOLUME specified can not be an empty string");
                config.Volumes ??= [];
                foreach (var volume in volumes) config.Volumes[volume.Trim()] = EmptyObject.Instance;
                return "VOLUME " + GoFormat.List(volumes);
            }
            case "stopsignal":
            {
                var signal = _lexer.ProcessWord(instruction.Arguments.Trim(), state.ExpansionEnvironment());
                Signals.Parse(signal);
                config.StopSignal = signal;
                return "STOPSIGNAL " + signal;
            }
            case "cmd":
                config.Cmd = CommandLine(state, instruction);
                config.ArgsEscaped = false;
                if (instruction.Arguments.Trim().Length > 0) state.CmdSet = true;
                return "CMD " + GoFormat.QuoteList(config.Cmd);
            case "entrypoint":
                config.Entrypoint = instruction.JsonForm is null && instruction.Arguments.Trim().Length == 0 ? null : CommandLine(state, instruction);
                if (!state.CmdSet) config.Cmd = null;
                return "ENTRYPOINT " + GoFormat.QuoteList(config.Entrypoint ?? []);
            case "healthcheck":
                config.Healthcheck = ConfigChanges.Healthcheck(line);
                return "HEALTHCHECK " + GoFormat.Healthcheck(config.Healthcheck);
            case "shell":
                if (instruction.JsonForm is not { Count: > 0 } shell) throw new FormatException("SHELL requires the arguments to be in JSON form");
                config.Shell = [.. shell];
                return "SHELL " + GoFormat.List(shell);
            case "arg":
            {
                var declarations = ArgDeclarations(instruction, state.ExpansionEnvironment());
                foreach (var (key, value) in declarations) state.Args.AddArg(key, value);
                return "ARG " + string.Join(' ', declarations.Select(d => d.Value is null ? d.Key : $"{d.Key}={d.Value}"));
            }
            default:
                throw BerthException.InvalidParameter($"unknown instruction: {instruction.Keyword.ToUpperInvariant()}");
        }
    }

    /// <summary>The exec form as written, or the shell form run by the stage's SHELL.</summary>
    private static List<string> CommandLine(StageState state, DockerfileInstruction instruction) =>
        instruction.JsonForm is { } exec ? [.. exec] : [.. state.Shell(), instruction.Arguments.Trim()];

    /// <summary>COPY, ADD and VOLUME expand each word the parser split as one word (dockerd's single-word expander); only EXPOSE re-splits.</summary>
    private IReadOnlyList<string> Words(DockerfileInstruction instruction, IReadOnlyDictionary<string, string> env) =>
        instruction.Args.Select(word => _lexer.ProcessWord(word, env)).ToList();

    /// <summary><c>ARG NAME[=default] …</c>, the defaults expanded.</summary>
    private List<(string Key, string? Value)> ArgDeclarations(DockerfileInstruction instruction, IReadOnlyDictionary<string, string> env)
    {
        var words = _lexer.ProcessWords(instruction.Arguments, env);
        if (words.Count == 0) throw BerthException.InvalidParameter("ARG requires exactly one argument");
        return words.Select(w =>
        {
            var eq = w.IndexOf('=');
            return eq < 0 ? (w, (string?)null) : (w[..eq], w[(eq + 1)..]);
        }).ToList();
    }
}
