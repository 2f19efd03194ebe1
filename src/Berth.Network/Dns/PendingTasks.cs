using System.Collections.Concurrent;

namespace Berth.Network.Dns;

/// <summary>Tasks started in the background whose end a loop awaits before it returns.</summary>
internal sealed class PendingTasks
{
    private readonly ConcurrentDictionary<Task, byte> tasks = new();

    public void Track(Task task)
    {
        tasks.TryAdd(task, 0);
        task.ContinueWith(t => tasks.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task WhenAllAsync() => Task.WhenAll(tasks.Keys);
}
