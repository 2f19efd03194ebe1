using System.Globalization;
using System.Text;

namespace Berth.Engine.Logs;

/// <summary>
/// Parses the lines conmon writes to a <c>k8s-file</c> log (the CRI log format):
/// <c>TIMESTAMP STREAM TAG CONTENT</c>, where TAG is <c>F</c> for a full line (its newline was
/// dropped) and <c>P</c> for a part of a longer line.
/// </summary>
public static class CriLogLine
{
    public static bool TryParse(ReadOnlySpan<byte> line, out LogEntry entry)
    {
        entry = default;
        var first = line.IndexOf((byte)' ');
        if (first <= 0) return false;
        if (!DateTimeOffset.TryParse(Encoding.ASCII.GetString(line[..first]), CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return false;
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        if (second <= 0) return false;
        var stream = rest[..second].SequenceEqual("stderr"u8) ? OutputStream.Stderr : OutputStream.Stdout;
        rest = rest[(second + 1)..];
        var third = rest.IndexOf((byte)' ');
        var tag = third < 0 ? rest : rest[..third];
        var content = third < 0 ? ReadOnlySpan<byte>.Empty : rest[(third + 1)..];
        var full = tag.Length > 0 && tag[0] == (byte)'F';
        var bytes = new byte[content.Length + (full ? 1 : 0)];
        content.CopyTo(bytes);
        if (full) bytes[^1] = (byte)'\n';
        entry = new LogEntry(time, stream, bytes);
        return true;
    }
}
