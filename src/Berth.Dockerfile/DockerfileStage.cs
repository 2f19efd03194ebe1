namespace Berth.Dockerfile;

/// <summary>A build stage: its FROM (base image and --platform still unexpanded), its lowercase AS name if any, the instructions after FROM.</summary>
public sealed record DockerfileStage(int Index, string? Name, DockerfileInstruction From, IReadOnlyList<DockerfileInstruction> Instructions)
{
    /// <summary>The base image as written (before ARG expansion).</summary>
    public string BaseName => From.Args[0];
}
