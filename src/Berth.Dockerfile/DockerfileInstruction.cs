namespace Berth.Dockerfile;

/// <summary>
/// One instruction as written. <see cref="Keyword"/> is lowercase; <see cref="Flags"/> maps each <c>--flag</c> to its value;
/// <see cref="Arguments"/> is the text after the flags with continuation lines joined as dockerd joins them;
/// <see cref="JsonForm"/> is the exec (JSON array) form when the arguments are one, else null;
/// <see cref="Original"/> is the text dockerd echoes in <c>Step N/M : ORIGINAL</c>; lines are 1-based.
/// </summary>
public sealed record DockerfileInstruction(string Keyword, IReadOnlyDictionary<string, string> Flags, string Arguments,
    IReadOnlyList<string>? JsonForm, int StartLine, int EndLine, string Original)
{
    /// <summary>
    /// The arguments as dockerd's parser splits them for this keyword: ENV and LABEL as key, value, key, value… (values still
    /// quoted and unexpanded); ARG as its words; ADD, COPY, VOLUME, EXPOSE and FROM as whitespace-separated words (or the JSON items);
    /// RUN, CMD, ENTRYPOINT and SHELL as the JSON items or the whole shell text; HEALTHCHECK as the type (CMD or NONE) then the
    /// command; USER, WORKDIR, MAINTAINER and STOPSIGNAL as the whole text; ONBUILD as the trigger's keyword then its text.
    /// </summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>For ONBUILD, the trigger instruction (its flags, arguments and original text without <c>ONBUILD</c>).</summary>
    public DockerfileInstruction? Trigger { get; init; }
}
