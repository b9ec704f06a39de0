using DangVu.Contracts.Core.V1;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Storage;

/// <summary>Applies every module's migrations (at start-up and by <c>dangvu db migrate</c>) and reports storage readiness.</summary>
internal sealed class StorageMigrator(IServiceScopeFactory scopes, StorageSettings settings, IEnumerable<ModuleStorage> storages)
{
    public IReadOnlyList<ModuleStorage> Storages { get; } = storages.ToList();

    /// <summary>Migrates each module's storage, reporting the migrations applied to each.</summary>
    public async Task MigrateAsync(Action<string, IReadOnlyList<string>>? onMigrated = null, CancellationToken cancellationToken = default)
    {
        foreach (var storage in Storages)
        {
            // Not inside onMigrated?.Invoke(...): a null callback would skip evaluating its arguments.
            var applied = await MigrateAsync(storage, cancellationToken);
            onMigrated?.Invoke(storage.ModuleId, applied);
        }
    }

    /// <summary>
    /// Builds every storage's model (a server's, before it listens): EF builds it on a context's first use,
    /// and the Members model took a child's first push to a freshly started parent a second of CPU.
    /// </summary>
    public async Task BuildModelsAsync()
    {
        foreach (var storage in Storages)
        {
            await using var scope = scopes.CreateAsyncScope();
            _ = storage.Resolve(scope.ServiceProvider).Model;
        }
    }

    private async Task<IReadOnlyList<string>> MigrateAsync(ModuleStorage storage, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = storage.Resolve(scope.ServiceProvider);
        try
        {
            if (settings.Provider == StorageProvider.Sqlite)
            {
                Directory.CreateDirectory(settings.DatabaseDirectory);
            }

            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await context.Database.MigrateAsync(cancellationToken);
            }

            if (settings.Provider == StorageProvider.Sqlite)
            {
                // Readers do not block the writer; the mode is kept in the file.
                await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            return pending;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidDataException(
                $"Không cập nhật được cơ sở dữ liệu của mô-đun '{storage.ModuleId}' ({settings.ProviderName}): {ex.GetBaseException().Message} " +
                $"(could not migrate the storage of module '{storage.ModuleId}')", ex);
        }
    }

    public async Task<StorageHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var health = new StorageHealth { Provider = settings.ProviderName, Ready = true };
        foreach (var storage in Storages)
        {
            var target = new StorageTarget { Owner = storage.ModuleId, Ready = true };
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var context = storage.Resolve(scope.ServiceProvider);
                if (!await context.Database.CanConnectAsync(cancellationToken))
                {
                    target.Ready = false;
                    target.Error = "không kết nối được cơ sở dữ liệu (cannot connect to the database)";
                }
                else
                {
                    target.PendingMigrations.AddRange(await context.Database.GetPendingMigrationsAsync(cancellationToken));
                    target.Ready = target.PendingMigrations.Count == 0;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                target.Ready = false;
                target.Error = ex.GetBaseException().Message;
            }

            health.Ready &= target.Ready;
            health.Targets.Add(target);
        }

        if (!health.Ready)
        {
            health.Error = "một số mô-đun chưa sẵn sàng lưu trữ (some modules' storage is not ready)";
        }

        return health;
    }
}
