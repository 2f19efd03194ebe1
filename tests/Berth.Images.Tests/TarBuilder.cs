using System.Diagnostics;
using Berth.Images.Archive.Tar;

namespace Berth.Images.Tests;

/// <summary>Builds tar streams for tests, with Berth's writer or with GNU tar as an independent producer.</summary>
public static class TarBuilder
{
    public static async Task<byte[]> WriteAsync(params (TarHeader Header, byte[]? Content)[] entries)
    {
        var output = new MemoryStream();
        var writer = new TarStreamWriter(output);
        foreach (var (header, content) in entries)
        {
            if (content is not null) header.Size = content.Length;
            await writer.WriteHeaderAsync(header);
            if (content is not null) await writer.WriteContentAsync(content);
        }
        await writer.CloseAsync();
        return output.ToArray();
    }

    public static (TarHeader, byte[]?) File(string name, string content, int mode = 0x1a4) =>
        (new TarHeader { Name = name, Kind = TarEntryKind.Regular, Mode = mode, ModTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) },
            System.Text.Encoding.UTF8.GetBytes(content));

    public static (TarHeader, byte[]?) File(string name, byte[] content) =>
        (new TarHeader { Name = name, Kind = TarEntryKind.Regular, Mode = 0x1a4, ModTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) }, content);

    public static (TarHeader, byte[]?) Dir(string name, int mode = 0x1ed) =>
        (new TarHeader { Name = name, Kind = TarEntryKind.Directory, Mode = mode, ModTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) }, null);

    public static (TarHeader, byte[]?) Symlink(string name, string target) =>
        (new TarHeader { Name = name, Kind = TarEntryKind.Symlink, LinkName = target, Mode = 0x1ff }, null);

    public static (TarHeader, byte[]?) HardLink(string name, string target) =>
        (new TarHeader { Name = name, Kind = TarEntryKind.HardLink, LinkName = target, Mode = 0x1a4 }, null);

    /// <summary>Runs GNU tar in <paramref name="directory"/> over its contents and returns the archive.</summary>
    public static async Task<byte[]> GnuTarAsync(string directory, string format)
    {
        var output = System.IO.Path.GetTempFileName();
        try
        {
            var start = new ProcessStartInfo("tar", ["--format=" + format, "--xattrs", "--sort=name", "-C", directory, "-cf", output, "."])
            {
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, error);
            return await System.IO.File.ReadAllBytesAsync(output);
        }
        finally
        {
            System.IO.File.Delete(output);
        }
    }
}
