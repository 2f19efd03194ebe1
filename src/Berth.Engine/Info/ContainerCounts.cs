namespace Berth.Engine.Info;

/// <summary>Containers by state, as /info reports them.</summary>
public sealed record ContainerCounts(int Running, int Paused, int Stopped)
{
    public int Total => Running + Paused + Stopped;
}
