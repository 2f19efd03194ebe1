namespace Berth.Images.Tests;

/// <summary>Hands out its content a few bytes at a time, in varying amounts, as a slow network does.</summary>
public sealed class TricklingStream(byte[] content, int seed = 7) : Storage.ReadOnlyStream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        var n = Math.Min(Math.Min(buffer.Length, _random.Next(1, 700)), content.Length - _position);
        content.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));
}
