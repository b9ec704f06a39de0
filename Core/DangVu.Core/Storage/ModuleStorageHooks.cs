using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Storage;

/// <summary>The host's side of a module's save: commit-ordered feed sequences and waking the event dispatcher.</summary>
internal sealed class ModuleStorageHooks(StorageSettings settings, OutboxSignal signal) : IModuleStorageHooks
{
    public async Task BeforeChangeFeedWriteAsync(ModuleDbContext context, CancellationToken cancellationToken)
    {
        // PostgreSQL hands out identity values before commit, so two concurrent saves could commit
        // sequences out of order and a feed reader could skip one. A transaction-scoped lock per
        // module makes feed writers take turns; SQLite writers already do.
        if (settings.Provider == StorageProvider.PostgreSql)
        {
            var key = FeedLockKey(context.ModuleId);
            await context.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", cancellationToken);
        }
    }

    public void OutboxCommitted(string moduleId) => signal.Notify();

    private static long FeedLockKey(string moduleId)
    {
        // Stable across processes (string.GetHashCode is randomised per process).
        var hash = 1469598103934665603UL;
        foreach (var c in "dangvu.feed." + moduleId)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)hash;
    }
}
