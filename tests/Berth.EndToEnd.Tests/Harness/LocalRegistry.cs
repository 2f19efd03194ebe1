using System.Diagnostics;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>
/// Debian's docker-registry (distribution) serving plain HTTP on 127.0.0.1 inside a test's network
/// namespace, so that the daemon's loopback reaches it and nothing leaves the namespace.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private const string Binary = "/usr/bin/docker-registry";
    private readonly NetworkNamespace _namespace;
    private readonly Process _process;
    private readonly string _root;
    private readonly List<Process> _alsoServing = [];

    private LocalRegistry(NetworkNamespace ns, Process process, string root, int port)
    {
        _namespace = ns;
        _process = process;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, the registry part of image names.</summary>
    public string Host => $"127.0.0.1:{Port}";

    /// <param name="root">A directory of the test's own for the registry's storage and configuration.</param>
    public static async Task<LocalRegistry> StartAsync(NetworkNamespace ns, string root)
    {
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is missing; run scripts/install-test-deps.sh");
        // The namespace is the test's own, so a port is free unless this namespace already uses it; try a few.
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20000, 40000);
            Directory.CreateDirectory(root);
            var config = Path.Combine(root, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(root, "storage")}
                http:
                  addr: 127.0.0.1:{port}
                """);
            var registry = new LocalRegistry(ns, Serve(ns.Path, config), root, port);
            if (await registry.WaitUntilServingAsync(ns.Path, registry._process)) return registry;
            await registry.DisposeAsync();
            if (attempt == 4) throw new InvalidOperationException("docker-registry did not start");
        }
    }

    /// <summary>
    /// Serves the same storage on the same address in another network namespace (the oracle
    /// dockerd's), so that both daemons reach one registry under one name. distribution keeps
    /// its state in the storage directory, so the two processes act as one registry.
    /// </summary>
    public async Task ServeAlsoInAsync(string namespacePath)
    {
        var process = Serve(namespacePath, Path.Combine(_root, "config.yml"));
        _alsoServing.Add(process);
        if (!await WaitUntilServingAsync(namespacePath, process)) throw new InvalidOperationException($"docker-registry did not start in {namespacePath}");
    }

    private static Process Serve(string namespacePath, string config)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[$"--net={namespacePath}", "--", Binary, "serve", config]) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start docker-registry");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Copies an image into the registry with skopeo (from inside the namespace), e.g. <c>docker-archive:/x.tar</c> to <c>test/busybox:v1</c>.</summary>
    public async Task PushAsync(string source, string repositoryAndTag, params string[] options)
    {
        (await _namespace.RunAsync("skopeo", ["--insecure-policy", "copy", "--dest-tls-verify=false", .. options, source,
            $"docker://{Host}/{repositoryAndTag}"])).AssertSuccess();
    }

    /// <summary>The digests of the layers of a manifest the registry holds (as a Docker schema 2 manifest).</summary>
    public async Task<string[]> LayerDigestsAsync(string repository, string tag)
    {
        var result = (await _namespace.RunAsync("curl", "-sf", "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
            $"http://{Host}/v2/{repository}/manifests/{tag}")).AssertSuccess();
        using var manifest = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray();
    }

    /// <summary>Flips every byte of a stored blob, keeping its size: the registry serves it as it is, under its old digest.</summary>
    public async Task CorruptBlobAsync(string digest)
    {
        var hex = digest["sha256:".Length..];
        var path = Path.Combine(_root, "storage", "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
        var bytes = await File.ReadAllBytesAsync(path);
        for (var i = 0; i < bytes.Length; i++) bytes[i] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);
    }

    private async Task<bool> WaitUntilServingAsync(string namespacePath, Process process)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            var probe = await Processes.RunAsync("nsenter", $"--net={namespacePath}", "--", "curl", "-sf", "-o", "/dev/null", $"http://{Host}/v2/");
            if (probe.ExitCode == 0) return true;
            await Task.Delay(50);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _alsoServing.Append(_process))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            process.Dispose();
        }
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
