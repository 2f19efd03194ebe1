using Berth.Api.Errors;
using Berth.Dockerfile;

namespace Berth.Engine.Build;

public sealed partial class BuildRun
{
    private Task CopyAsync(StageState state, DockerfileInstruction instruction, CancellationToken ct) =>
        throw BerthException.NotImplemented($"COPY pending {context.Root}");
}
