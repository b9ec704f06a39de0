using System.Reflection;
using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Internal;

namespace DangVu.Core.Storage;

#pragma warning disable EF1001 // MigrationsAssembly is the documented seam for creating migrations.
/// <summary>Creates a module's migrations with the module's schema, so one migration serves both providers.</summary>
internal sealed class ModuleMigrationsAssembly(
    ICurrentDbContext currentContext,
    IDbContextOptions options,
    IMigrationsIdGenerator idGenerator,
    IDiagnosticsLogger<DbLoggerCategory.Migrations> logger)
    : MigrationsAssembly(currentContext, options, idGenerator, logger)
{
    private readonly string? _schema = options.FindExtension<ModuleStorageOptionsExtension>()?.Schema;

    public override Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = base.CreateMigration(migrationClass, activeProvider);
        if (migration is ModuleMigration moduleMigration)
        {
            moduleMigration.Schema = _schema;
        }

        return migration;
    }
}
#pragma warning restore EF1001
