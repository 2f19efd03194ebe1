using System.Diagnostics;

namespace Berth.Engine.Host;

/// <summary>The version and commit a helper binary (runc, conmon) reports for itself.</summary>
public sealed record ToolVersion(string Version, string Commit)
{
    public static readonly ToolVersion Unknown = new("", "");

    /// <summary>Runs <c>TOOL --version</c> and reads "… version X" and "commit: Y" from it.</summary>
    public static async Task<ToolVersion> QueryAsync(string tool, CancellationToken ct)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(tool, ["--version"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null) return Unknown;
            var output = await process.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
            string version = "", commit = "";
            foreach (var line in output.Split('\n'))
            {
                var versionAt = line.IndexOf("version ", StringComparison.Ordinal);
                if (version.Length == 0 && versionAt >= 0) version = line[(versionAt + "version ".Length)..].Trim();
                if (line.StartsWith("commit:", StringComparison.Ordinal)) commit = line["commit:".Length..].Trim();
            }
            return new ToolVersion(version, commit);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return Unknown;
        }
    }
}
