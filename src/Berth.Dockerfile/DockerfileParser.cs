namespace Berth.Dockerfile;

/// <summary>
/// Parses a Dockerfile as dockerd 20.10's classic builder does: first the syntax of the whole file (errors
/// <c>failed to parse Dockerfile: …</c>), then every instruction's rules in order (errors <c>dockerfile parse error line N: …</c>),
/// then the split into meta ARGs and stages. Heredocs are not supported (as in the classic builder, <c>&lt;&lt;EOF</c> is plain text).
/// </summary>
public static class DockerfileParser
{
    /// <summary>Parses the Dockerfile's text; <paramref name="fileName"/> only appears in the empty-file message.</summary>
    public static ParsedDockerfile Parse(string text, string fileName = "Dockerfile")
    {
        if (text.Length == 0) throw new DockerfileParseException($"the Dockerfile ({fileName}) cannot be empty");
        var (escape, lines, warnings) = LogicalLines.Read(text);
        var nodes = new List<InstructionNode>();
        foreach (var line in lines)
        {
            try
            {
                nodes.Add(InstructionNode.FromLine(line.Text, line.StartLine, line.EndLine, escape));
            }
            catch (FormatException e)
            {
                throw DockerfileParseException.Syntax(e.Message);
            }
        }
        if (nodes.Count == 0) throw DockerfileParseException.Syntax("file with no instructions");

        var metaArgs = new List<DockerfileInstruction>();
        var stages = new List<(DockerfileInstruction From, string? Name, List<DockerfileInstruction> Instructions)>();
        foreach (var node in nodes)
        {
            DockerfileInstruction instruction;
            try
            {
                instruction = InstructionRules.Check(node);
            }
            catch (FormatException e)
            {
                throw DockerfileParseException.AtLine(node.StartLine, e.Message);
            }
            if (instruction.Keyword == "from") stages.Add((instruction, InstructionRules.StageName(instruction.Args), []));
            else if (stages.Count > 0) stages[^1].Instructions.Add(instruction);
            else if (instruction.Keyword == "arg") metaArgs.Add(instruction);
            else throw new DockerfileParseException("no build stage in current context");
        }
        // dockerd starts the meta ARG steps and then fails with "unexpected EOF"; refusing the file is clearer and equivalent.
        if (stages.Count == 0) throw new DockerfileParseException("no build stage in current context");
        return new ParsedDockerfile(escape, metaArgs, [.. stages.Select((s, i) => new DockerfileStage(i, s.Name, s.From, s.Instructions))])
        {
            Warnings = warnings,
        };
    }

    /// <summary>
    /// Parses an ONBUILD trigger from a base image's configuration as dockerd does when a build starts from that image: one
    /// instruction, checked like any other, errors without the file's prefixes (<c>unknown instruction: FOO</c>).
    /// </summary>
    public static DockerfileInstruction ParseTrigger(string expression)
    {
        var (_, lines, _) = LogicalLines.Read(expression);
        if (lines.Count == 0) throw new DockerfileParseException("file with no instructions");
        if (lines.Count > 1) throw new DockerfileParseException("onbuild trigger should be a single expression");
        try
        {
            var node = InstructionNode.FromLine(lines[0].Text, lines[0].StartLine, lines[0].EndLine, '\\');
            var instruction = InstructionRules.Check(node);
            if (instruction.Keyword == "from") throw new FormatException("*instructions.Stage is not a command type");
            return instruction;
        }
        catch (FormatException e)
        {
            throw new DockerfileParseException(e.Message);
        }
    }
}
