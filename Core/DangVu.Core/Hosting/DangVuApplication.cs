using DangVu.Contracts.Core.V1;
using DangVu.Core.Authorization;
using DangVu.Core.Events;
using DangVu.Core.Modules;
using DangVu.Core.Rpc.Server;
using DangVu.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Hosting;

/// <summary>
/// Composes one installation into a web application: loads its plugins, lets the modules
/// register, migrates their storage and maps the health endpoint and the modules' endpoints.
/// </summary>
internal static class DangVuApplication
{
    /// <summary>Builds the application and migrates storage; the caller runs it (<c>serve</c>) or only disposes it (<c>db migrate</c>).</summary>
    public static async Task<WebApplication> BuildAsync(
        DangVuInstallation installation,
        Action<string, IReadOnlyList<string>>? onMigrated = null,
        CancellationToken cancellationToken = default,
        IWebShell? webShell = null)
    {
        var entries = new ModuleLoader(installation).Load();
        // No reload-on-change watcher on the content root: it is the home, with the databases under it, so every
        // page SQLite writes would wake a file watcher (≈ 10 % of a busy server's CPU); settings are read at start.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = installation.Home, Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Configuration.AddConfiguration(installation.Configuration);
        builder.WebHost.ConfigureKestrel(kestrel => ListenAddresses.Configure(
            kestrel,
            installation.Configuration["Urls"] is { Length: > 0 } web ? web : ListenAddresses.DefaultWeb,
            installation.Configuration["Grpc:Urls"] is { Length: > 0 } grpc ? grpc : ListenAddresses.DefaultGrpc,
            new Federation.NodeKeys(installation).LoadServerCertificate));

        var services = builder.Services;
        services.AddSingleton(installation);
        services.AddSingleton(StorageSettings.From(installation.Configuration, installation.DataDirectory));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<ModuleStorageHooks>();
        services.AddSingleton<StorageMigrator>();
        services.AddDangVuPlatform(installation);
        services.AddGrpcTransport(installation.Configuration.GetSection("Grpc"));
        webShell?.ConfigureServices(services, installation);
        var registry = ModuleRegistrar.Register(services, entries, installation.Configuration);
        services.AddSingleton(registry);
        EnsureRequiredModules(installation, registry);

        // Last, so that modules' own hosted services start before delivery begins.
        services.AddHostedService<OutboxDispatcher>();

        var app = builder.Build();
        await app.Services.GetRequiredService<StorageMigrator>().MigrateAsync(onMigrated, cancellationToken);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PlatformSeeder>().SeedAsync(cancellationToken);
        }

        app.UseMiddleware<ErrorResponses>();
        app.UseRateLimiter();
        webShell?.UseBeforeActor(app);
        app.UseMiddleware<ActorMiddleware>();
        app.MapGet(HealthEndpoint.Path, HealthEndpoint.HandleAsync);
        app.MapPost(TokenEndpoint.Path, TokenEndpoint.HandleAsync).RequireRateLimiting(PlatformServices.SignInRateLimit);
        app.MapPost(TokenEndpoint.PasswordPath, TokenEndpoint.ChangePasswordAsync).RequireRateLimiting(PlatformServices.SignInRateLimit);
        ModuleEndpoints.MapAll(registry, app);
        Federation.FederationServices.MapFederation(app);
        app.MapGrpcTransport();
        webShell?.MapEndpoints(app, registry);
        EnsureRequiredModules(installation, registry);
        LogModules(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DangVu.Modules"), registry);
        return app;
    }

    private static void EnsureRequiredModules(DangVuInstallation installation, ModuleRegistry registry)
    {
        foreach (var id in installation.RequiredModules)
        {
            var entry = registry.Entries.FirstOrDefault(e => e.Id == id);
            if (entry is null)
            {
                throw new ModuleLoadException(id,
                    $"là mô-đun bắt buộc (Modules:Required) nhưng chưa được cài trong {installation.PluginsDirectory}",
                    $"is required (Modules:Required) but not installed in {installation.PluginsDirectory}");
            }

            if (entry.State != ModuleState.Loaded)
            {
                throw new ModuleLoadException(id,
                    $"là mô-đun bắt buộc nên máy chủ không khởi động: {entry.Reason}",
                    "is required, so the host does not start; see the reason above");
            }
        }
    }

    private static void LogModules(ILogger logger, ModuleRegistry registry)
    {
        foreach (var entry in registry.Entries)
        {
            if (entry.IsLoaded)
            {
                logger.LogInformation("Module {Module} {Version} loaded", entry.Id, entry.Manifest!.Version.ToString(3));
            }
            else
            {
                logger.LogWarning("Module {Module} {State}: {Reason}", entry.Id, entry.State, entry.Reason);
            }
        }
    }
}
