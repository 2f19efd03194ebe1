namespace Berth.Volumes.Service;

/// <summary>Tells the volume service which containers use a volume (implemented by the container engine above it): the IDs of every container, running or not, that mounts the volume, empty when none does.</summary>
public interface IVolumeUsers
{
    IReadOnlyList<string> ContainersUsing(string volumeName);
}
