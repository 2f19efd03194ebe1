namespace Berth.Dockerfile;

/// <summary>
/// The whole file: the escape token, the ARGs before the first FROM, the stages in order, and the parser's warnings
/// (empty continuation lines), which dockerd prints before the first step.
/// </summary>
public sealed record ParsedDockerfile(char EscapeToken, IReadOnlyList<DockerfileInstruction> MetaArgs, IReadOnlyList<DockerfileStage> Stages)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
