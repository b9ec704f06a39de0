using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Events;
using DangVu.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace DangVu.Core.Tests.Support;

/// <summary>
/// Real storage on one provider for one test: SQLite files in a temp folder, or module schemas
/// with names unique to the test in the test PostgreSQL server; removed on dispose.
/// </summary>
internal sealed class TestStorage : IAsyncDisposable
{
    private readonly string _directory = TestPaths.NewTempDirectory("storage");
    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private readonly List<string> _moduleIds = [];

    public TestStorage(string provider)
    {
        Settings = provider == "sqlite"
            ? new StorageSettings(StorageProvider.Sqlite, Path.Combine(_directory, "db"), null)
            : new StorageSettings(StorageProvider.PostgreSql, Path.Combine(_directory, "db"), TestPostgres.ConnectionString);
        Services.AddLogging();
        Services.AddSingleton(Settings);
        Services.AddSingleton<OutboxSignal>();
        Services.AddSingleton<ModuleStorageHooks>();
        Services.AddSingleton<StorageMigrator>();
    }

    public StorageSettings Settings { get; }

    public IServiceCollection Services { get; } = new ServiceCollection();

    public ServiceProvider? Provider { get; private set; }

    /// <summary>A module id unique to this test, so PostgreSQL schemas of parallel tests never meet.</summary>
    public string ModuleId(string name)
    {
        var id = $"{name}-{_suffix}";
        _moduleIds.Add(id);
        return id;
    }

    public TestStorage AddModule<TContext>(string moduleId, string nodeId = "node-test") where TContext : ModuleDbContext
    {
        Services.AddModuleStorage<TContext>(moduleId, nodeId);
        return this;
    }

    /// <summary>Builds the container and applies every module's migrations.</summary>
    public async Task<ServiceProvider> StartAsync()
    {
        Provider = Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await Provider.GetRequiredService<StorageMigrator>().MigrateAsync();
        return Provider;
    }

    public OutboxDispatcher Dispatcher() => new(
        Provider!.GetRequiredService<IServiceScopeFactory>(),
        Provider!.GetServices<ModuleStorage>(),
        Provider!.GetServices<EventSubscription>(),
        Provider!.GetRequiredService<OutboxSignal>(),
        new NeverStarted(),
        new ConfigurationBuilder().Build(),
        NullLogger<OutboxDispatcher>.Instance);

    /// <summary>A fresh context in its own scope, as one request or one handler would have.</summary>
    public IServiceScope Scope<TContext>(out TContext context) where TContext : ModuleDbContext
    {
        var scope = Provider!.CreateScope();
        context = scope.ServiceProvider.GetRequiredService<TContext>();
        return scope;
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }

        if (Settings.Provider == StorageProvider.PostgreSql)
        {
            await using var connection = new NpgsqlConnection(Settings.ConnectionString);
            await connection.OpenAsync();
            foreach (var id in _moduleIds)
            {
                await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{StorageSettings.SchemaOf(id)}\" CASCADE", connection);
                await drop.ExecuteNonQueryAsync();
                await using var dropCopy = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{StorageSettings.SchemaOf(id)}_model\" CASCADE", connection);
                await dropCopy.ExecuteNonQueryAsync();
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on another thread; the temp folder is cleaned by the system.
        }
    }

    private sealed class NeverStarted : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
