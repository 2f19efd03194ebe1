using System.Text.RegularExpressions;
using Berth.Api.Errors;
using Berth.Api.Wire.Containers;

namespace Berth.Engine.Containers;

/// <summary>dockerd's handling of <c>ps</c> arguments and output for <c>docker top</c>.</summary>
public static partial class TopOutput
{
    [GeneratedRegex(@"\s+([^\s]*)=\s*(PID[^\s]*)")]
    private static partial Regex RenamedPid();

    /// <summary>Renaming the PID column to anything but "pid" would hide it from the filter.</summary>
    public static void ValidateArguments(string psArgs)
    {
        foreach (Match m in RenamedPid().Matches(psArgs))
            if (m.Groups[1].Value != "pid")
                throw BerthException.System($"specifying \"{m.Groups[1].Value}={m.Groups[2].Value}\" is not allowed");
    }

    /// <summary>The titles, and the rows whose PID is one of <paramref name="pids"/> (with the thread rows, "-", that follow them); the last column keeps its spaces.</summary>
    public static ContainerTopResponse Parse(string output, IReadOnlyCollection<int> pids)
    {
        var lines = output.Split('\n');
        var response = new ContainerTopResponse { Titles = Fields(lines[0]) };
        var pidIndex = response.Titles.IndexOf("PID");
        if (pidIndex < 0) throw BerthException.System("Couldn't find PID field in ps output");
        var previousMatched = false;
        foreach (var line in lines.Skip(1))
        {
            if (line.Length == 0) continue;
            var fields = Fields(line);
            if (fields.Count <= pidIndex) continue;
            if (fields[pidIndex] == "-")
            {
                if (previousMatched) Append(response, fields);
                continue;
            }
            if (!int.TryParse(fields[pidIndex], out var pid))
                throw BerthException.System($"Unexpected pid '{fields[pidIndex]}': strconv.Atoi: parsing \"{fields[pidIndex]}\": invalid syntax");
            previousMatched = pids.Contains(pid);
            if (previousMatched) Append(response, fields);
        }
        return response;
    }

    private static void Append(ContainerTopResponse response, List<string> fields)
    {
        var last = response.Titles.Count - 1;
        var row = fields.Take(last).ToList();
        row.Add(string.Join(' ', fields.Skip(last)));
        (response.Processes ??= []).Add(row);
    }

    private static List<string> Fields(string line) => [.. line.Split([' ', '\t', '\n', '\f', '\r'], StringSplitOptions.RemoveEmptyEntries)];
}
