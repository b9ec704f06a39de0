using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DangVu.Core.Storage;

/// <summary>A module's declared storage: which DbContext, for the migrator, the health check and the event bus.</summary>
internal sealed record ModuleStorage(string ModuleId, Type ContextType)
{
    public ModuleDbContext Resolve(IServiceProvider services) => (ModuleDbContext)services.GetRequiredService(ContextType);
}

internal static class ModuleStorageRegistration
{
    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    /// <summary>Registers a module's DbContext on the installation's provider, in the module's own file or schema.</summary>
    public static void AddModuleStorage<TContext>(this IServiceCollection services, string moduleId, string nodeId)
        where TContext : ModuleDbContext
    {
        services.AddDbContext<TContext>((sp, options) =>
            options.UseModuleStorage(sp.GetRequiredService<StorageSettings>(), moduleId, nodeId, sp.GetRequiredService<ModuleStorageHooks>()));
        services.AddSingleton(new ModuleStorage(moduleId, typeof(TContext)));
    }

    public static DbContextOptionsBuilder UseModuleStorage(
        this DbContextOptionsBuilder options, StorageSettings settings, string moduleId, string nodeId, IModuleStorageHooks hooks)
    {
        string? schema = null;
        if (settings.Provider == StorageProvider.Sqlite)
        {
            // Default Timeout doubles as SQLite's busy timeout: writers wait for each other instead of failing.
            options.UseSqlite(
                $"Data Source={settings.SqliteFileOf(moduleId)};Pooling=True;Default Timeout=30",
                // A list in a query (Contains) as one JSON parameter: SQLite's ADO.NET provider matches
                // each bound value by name with a linear search, so hundreds of parameters cost quadratically.
                sqlite => sqlite.MigrationsHistoryTable(MigrationsHistoryTable).UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            options.AddInterceptors(SqliteConnectionSettings.Instance);
        }
        else
        {
            schema = StorageSettings.SchemaOf(moduleId);
            options.UseNpgsql(
                WithoutJit(settings.ConnectionString!),
                npgsql => npgsql.MigrationsHistoryTable(MigrationsHistoryTable, schema));
        }

        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new ModuleStorageOptionsExtension(moduleId, schema, nodeId, hooks));
        options.ReplaceService<IMigrationsAssembly, ModuleMigrationsAssembly>();
        options.ReplaceService<IModelCacheKeyFactory, ModuleModelCacheKeyFactory>();

        // Migrations are hand-written, without a model snapshot; the schema test compares them with the model instead.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
        return options;
    }

    /// <summary>
    /// The modules' queries are short, and PostgreSQL compiles (JIT, 10–15 ms) any plan whose estimated cost passes
    /// <c>jit_above_cost</c>: a search's nested loop that stops at its limit after 1,000 rows is estimated as if it
    /// read every match. An installation that wants JIT sets it in its own connection string's options, which come after.
    /// </summary>
    private static string WithoutJit(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = ("-c jit=off " + builder.Options).Trim();
        return builder.ConnectionString;
    }
}
