using Berth.Daemon.Configuration;
using Berth.Daemon.Http;
using Berth.Daemon.Routes;
using Berth.Engine.Containers;
using Berth.Engine.Info;
using Berth.Network.Service;
using Berth.Volumes.Service;
using Berth.Runtime;
using Berth.Runtime.Conmon;
using Berth.Images.Service;
using Berth.Images.Storage;
using Berth.Images.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Berth.Daemon.Hosting;

/// <summary>
/// Starts berthd: takes the data-root lock and the PID file, opens the stores, listens on every
/// <c>-H</c> address, and on SIGTERM or SIGINT stops listening and releases it all.
/// </summary>
public static class DaemonHost
{
    public static async Task<int> RunAsync(DaemonOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.FormatterName = LogrusFormatter.FormatterName).AddConsoleFormatter<LogrusFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>();
        builder.Logging.SetMinimumLevel(ToLevel(options.LogLevel));
        builder.Logging.AddFilter("Microsoft", options.Debug ? LogLevel.Information : LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.Services.Configure<Microsoft.Extensions.Hosting.ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        using var loggerFactory = LoggerFactory.Create(l => l
            .AddConsole(o => o.FormatterName = LogrusFormatter.FormatterName)
            .AddConsoleFormatter<LogrusFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>()
            .SetMinimumLevel(ToLevel(options.LogLevel)));
        var logger = loggerFactory.CreateLogger("berthd");

        Directories.CreatePrivate(options.DataRoot);
        File.SetUnixFileMode(options.DataRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        Directories.CreatePrivate(options.ExecRoot);
        using var dataRootLock = DataRootLock.Acquire(options.DataRoot);
        using var pidFile = PidFile.Create(options.EffectivePidFile);
        logger.LogInformation("Starting up berthd (data root {DataRoot}, exec root {ExecRoot})", options.DataRoot, options.ExecRoot);

        var temp = Path.Combine(options.DataRoot, "tmp");
        Directories.DeleteTree(temp);
        Directories.CreatePrivate(temp);
        var snapshots = await StorageSetup.OpenAsync(options.DataRoot, options.StorageDriver, logger, CancellationToken.None).ConfigureAwait(false);
        var store = await ImageStore.OpenAsync(Path.Combine(options.DataRoot, "image", snapshots.Name), snapshots, CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Loaded {Count} images", store.All.Count);
        var identity = EngineIdentityStore.Load(options.DataRoot);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var registries = new Berth.Images.Registry.Transport.RegistryTransport(options.Registry);
        using var networks = NetworkService.Open(new Berth.Network.Service.NetworkSettings
        {
            Root = Path.Combine(options.DataRoot, "network"),
            DefaultBridgeName = options.Bridge,
            BridgeIp = options.BridgeIp,
            FixedCidr = options.FixedCidr,
            Mtu = options.Mtu,
        }, loggerFactory.CreateLogger("networks"));
        var volumes = new VolumeService(Path.Combine(options.DataRoot, "volumes"));
        using var containers = await ContainerEngine.OpenAsync(
            new ContainerSettings
            {
                Root = Path.Combine(options.DataRoot, "containers"),
                RunRoot = Path.Combine(options.ExecRoot, "containers"),
                CgroupParent = options.CgroupParent,
                InitPath = options.InitPath ?? RuntimeTools.InitPath(),
                InitByDefault = options.Init,
                StorageDriver = snapshots.Name,
            },
            store,
            new ConmonDriver(RuntimeTools.Find("conmon"), new Runc(RuntimeTools.Find("runc"), Path.Combine(options.ExecRoot, "runc")), Path.Combine(options.ExecRoot, "exits")),
            networks,
            volumes,
            loggerFactory.CreateLogger("containers"),
            CancellationToken.None).ConfigureAwait(false);
        logger.LogInformation("Loaded {Count} containers", containers.Store.Count);
        var images = new ImageService(store, new ContainerImageUsers(containers.Store), temp, http, registries, identity.Version);
        var system = new SystemService(
            new SystemSettings(options.DataRoot, options.Debug, options.Labels, InsecureListenerWarnings(options), "runc",
                VolumeDrivers: ["local"], NetworkDrivers: ["bridge", "host", "macvlan", "null"], LogDrivers: [],
                Registry: options.Registry.Describe()),
            identity, store,
            containers.Counts);

        var sockets = options.Hosts.Where(h => h.SocketPath is not null).Select(h => h.SocketPath!).ToList();
        foreach (var socket in sockets)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
            await UnixSockets.ClearStaleAsync(socket).ConfigureAwait(false);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            foreach (var host in options.Hosts)
            {
                if (host.SocketPath is { } path) kestrel.ListenUnixSocket(path, l => { l.Protocols = HttpProtocols.Http1; l.Use(HalfClose.Middleware); });
                else kestrel.Listen(host.Tcp!, l => { l.Protocols = HttpProtocols.Http1; l.Use(HalfClose.Middleware); });
            }
        });

        var app = builder.Build();
        var router = new ApiRouter();
        new SystemRoutes(system).Register(router);
        new ImageRoutes(images).Register(router);
        new RegistryRoutes(new Berth.Images.Registry.RegistryService(registries)).Register(router);
        new ContainerRoutes(containers).Register(router);
        new ExecRoutes(containers).Register(router);
        new ContainerOperationRoutes(containers).Register(router);
        new ContainerArchiveRoutes(containers).Register(router);
        new CommitRoutes(containers, images).Register(router);
        new VolumeRoutes(volumes).Register(router);
        new DataUsageRoutes(new DataUsageService(images, containers, volumes)).Register(router);
        new NetworkRoutes(new Berth.Engine.Networks.NetworkEngine(networks, containers)).Register(router);
        var pipeline = new ApiPipeline(router, identity.Version, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("api"));
        app.Run(pipeline.HandleAsync);

        try
        {
            await app.StartAsync().ConfigureAwait(false);
            foreach (var socket in sockets) UnixSockets.SetAccess(socket, options.Group);
            foreach (var host in options.Hosts) logger.LogInformation("API listen on {Address}", host.SocketPath ?? host.Tcp!.ToString());
            logger.LogInformation("Daemon has completed initialization");
            await app.WaitForShutdownAsync().ConfigureAwait(false);
            logger.LogInformation("Processing signal, shutting down");
        }
        finally
        {
            await app.DisposeAsync().ConfigureAwait(false);
            foreach (var socket in sockets) File.Delete(socket);
        }
        logger.LogInformation("Daemon shutdown complete");
        return 0;
    }

    private static IReadOnlyList<string> InsecureListenerWarnings(DaemonOptions options) =>
        options.Hosts.Where(h => h.Tcp is not null)
            .Select(h => $"WARNING: API is accessible on http://{h.Tcp} without encryption.\n         Access to the remote API is equivalent to root access on the host.")
            .ToList();

    private static LogLevel ToLevel(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "fatal" => LogLevel.Critical,
        _ => LogLevel.Information,
    };
}
