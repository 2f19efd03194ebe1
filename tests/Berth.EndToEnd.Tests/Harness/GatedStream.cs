namespace Berth.EndToEnd.Tests.Harness;

/// <summary>Serves its content up to a point, then waits until released: a client caught mid-upload.</summary>
public sealed class GatedStream(byte[] content, int pauseAt) : Berth.Images.Storage.ReadOnlyStream
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    /// <summary>Completes when the stream has handed out everything before the pause.</summary>
    public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    public override int Read(Span<byte> buffer) => throw new NotSupportedException("read asynchronously");

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= pauseAt)
        {
            Paused.TrySetResult();
            await _gate.Task.WaitAsync(cancellationToken);
        }
        var limit = _position < pauseAt ? pauseAt : content.Length;
        var n = Math.Min(buffer.Length, limit - _position);
        content.AsMemory(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }
}
