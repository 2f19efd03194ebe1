using System.Diagnostics;

namespace Berth.EndToEnd.Tests.Harness;

/// <summary>What a <see cref="LocalRegistry"/> listens on and asks of clients.</summary>
/// <param name="Address">An address of the test's namespace (127.0.0.1 unless a test adds another).</param>
/// <param name="Port">A fixed port, when the daemon's configuration must name it before the registry starts.</param>
/// <param name="Auth">The YAML of the registry's <c>auth:</c> section, indented under it (htpasswd or token).</param>
/// <param name="TlsCertificate">PEM certificate and key files: the registry serves HTTPS.</param>
/// <param name="ClientCas">PEM CA files the registry requires client certificates to chain to.</param>
public sealed record LocalRegistryOptions(
    string Address = "127.0.0.1", int? Port = null, string? Auth = null,
    (string Certificate, string Key)? TlsCertificate = null, IReadOnlyList<string>? ClientCas = null, bool ReadOnly = false);

/// <summary>
/// Debian's docker-registry (distribution) inside a test's network namespace, by default serving
/// plain HTTP on 127.0.0.1, so that the daemon's loopback reaches it and nothing leaves the namespace.
/// </summary>
public sealed class LocalRegistry : IAsyncDisposable
{
    private const string Binary = "/usr/bin/docker-registry";
    private readonly NetworkNamespace _namespace;
    private readonly Process _process;
    private readonly string _root;
    private readonly List<Process> _alsoServing = [];

    private readonly LocalRegistryOptions _options;

    private LocalRegistry(NetworkNamespace ns, Process process, string root, int port, LocalRegistryOptions options)
    {
        _namespace = ns;
        _process = process;
        _root = root;
        _options = options;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>ADDRESS:PORT</c>, the registry part of image names.</summary>
    public string Host => $"{_options.Address}:{Port}";

    private string Scheme => _options.TlsCertificate is null ? "http" : "https";

    /// <summary>A port for <see cref="LocalRegistryOptions.Port"/>: the namespace is the test's own, so any is free.</summary>
    public static int PickPort() => Random.Shared.Next(20000, 40000);

    /// <param name="root">A directory of the test's own for the registry's storage and configuration.</param>
    /// <summary>A registry under <paramref name="root"/> that asks for HTTP Basic credentials: one user, in an htpasswd file (bcrypt).</summary>
    public static async Task<LocalRegistry> StartWithBasicAuthAsync(NetworkNamespace ns, string root, string user, string password)
    {
        Directory.CreateDirectory(root);
        var htpasswd = Path.Combine(root, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, (await Processes.RunAsync("htpasswd", "-Bbn", user, password)).AssertSuccess().Stdout);
        return await StartAsync(ns, root, new LocalRegistryOptions(Auth: $"  htpasswd:\n    realm: berth-test\n    path: {htpasswd}"));
    }

    public static async Task<LocalRegistry> StartAsync(NetworkNamespace ns, string root, LocalRegistryOptions? options = null)
    {
        options ??= new LocalRegistryOptions();
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} is missing; run scripts/install-test-deps.sh");
        // The namespace is the test's own, so a port is free unless this namespace already uses it; try a few.
        for (var attempt = 0; ; attempt++)
        {
            var port = options.Port ?? PickPort();
            Directory.CreateDirectory(root);
            var config = Path.Combine(root, "config.yml");
            var tls = options.TlsCertificate is { } pair
                ? $"\n  tls:\n    certificate: {pair.Certificate}\n    key: {pair.Key}" +
                  (options.ClientCas is { Count: > 0 } cas ? "\n    clientcas:" + string.Concat(cas.Select(ca => $"\n      - {ca}")) : "")
                : "";
            var auth = options.Auth is null ? "" : $"\nauth:\n{options.Auth}";
            // Read-only maintenance mode: pulls are served, every write is refused with 405.
            var readOnly = options.ReadOnly ? "\n  maintenance:\n    readonly:\n      enabled: true" : "";
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: {Path.Combine(root, "storage")}{readOnly}
                http:
                  addr: {options.Address}:{port}
                """ + tls + auth + "\n");
            var registry = new LocalRegistry(ns, Serve(ns.Path, config), root, port, options);
            if (await registry.WaitUntilServingAsync(ns.Path, registry._process)) return registry;
            await registry.DisposeAsync();
            if (attempt == 4 || options.Port is not null) throw new InvalidOperationException("docker-registry did not start");
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

    /// <summary>
    /// Copies an image into the registry with skopeo (from inside the namespace), e.g. <c>docker-archive:/x.tar</c>
    /// to <c>test/busybox:v1</c>; <paramref name="options"/> are skopeo's, such as <c>--dest-creds user:password</c>.
    /// </summary>
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
            // Any answer will do: a registry that asks for credentials answers 401, one that asks for a
            // client certificate fails the handshake; only curl's 7 (refused) means it is not listening yet.
            var probe = await Processes.RunAsync("nsenter", $"--net={namespacePath}", "--", "curl", "-sk", "-o", "/dev/null", $"{Scheme}://{Host}/v2/");
            if (probe.ExitCode != 7) return true;
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
