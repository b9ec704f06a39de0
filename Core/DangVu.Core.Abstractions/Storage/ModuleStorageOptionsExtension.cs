using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Abstractions.Storage;

/// <summary>
/// Carries, inside a module's DbContext options, what the host decided about its storage. The
/// host adds it; a module never creates one.
/// </summary>
public sealed class ModuleStorageOptionsExtension : IDbContextOptionsExtension
{
    private ExtensionInfo? _info;

    public ModuleStorageOptionsExtension(string moduleId, string? schema, string nodeId, IModuleStorageHooks hooks)
    {
        ModuleId = moduleId;
        Schema = schema;
        NodeId = nodeId;
        Hooks = hooks;
    }

    public string ModuleId { get; }

    /// <summary>The PostgreSQL schema of the module; null on SQLite, where the module has its own file.</summary>
    public string? Schema { get; }

    public string NodeId { get; }

    public IModuleStorageHooks Hooks { get; }

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services)
    {
    }

    public void Validate(IDbContextOptions options)
    {
    }

    private sealed class ExtensionInfo(ModuleStorageOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        private new ModuleStorageOptionsExtension Extension => (ModuleStorageOptionsExtension)base.Extension;

        public override bool IsDatabaseProvider => false;

        public override string LogFragment => $"Module={Extension.ModuleId} Schema={Extension.Schema} ";

        // Modules share EF's internal services; the host's model cache key separates their schemas.
        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo)
        {
            debugInfo["DangVu:Module"] = Extension.ModuleId;
            debugInfo["DangVu:Schema"] = Extension.Schema ?? "";
        }
    }
}

/// <summary>What the host does around a module's save: the seams for provider locks and delivery.</summary>
public interface IModuleStorageHooks
{
    /// <summary>
    /// Runs inside the save's transaction before change-feed entries are inserted, so that feed
    /// sequences are allocated in commit order (PostgreSQL takes a transaction-scoped lock).
    /// </summary>
    Task BeforeChangeFeedWriteAsync(ModuleDbContext context, CancellationToken cancellationToken);

    /// <summary>Called after a commit that saved outbox messages: wakes the event dispatcher.</summary>
    void OutboxCommitted(string moduleId);
}
