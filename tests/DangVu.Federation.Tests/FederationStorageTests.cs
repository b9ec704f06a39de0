using DangVu.Core.Events;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Storage;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace DangVu.Federation.Tests;

/// <summary>Federation's hand-written migration builds exactly what its model describes, on both providers.</summary>
public sealed class FederationStorageTests
{
    [Theory, StorageProviders]
    public async Task The_federation_schema_built_by_migrations_matches_its_model(string provider)
    {
        await using var storage = new TestStorage(provider);
        var moduleId = storage.ModuleId("federation");
        Directory.CreateDirectory(storage.Settings.DatabaseDirectory);
        await using (var migrated = Create(storage.Settings, moduleId))
        {
            await migrated.Database.MigrateAsync();
        }

        await using (var modelled = Create(storage.Settings, moduleId + "-model"))
        {
            var creator = modelled.GetService<IRelationalDatabaseCreator>();
            if (!await creator.ExistsAsync())
            {
                await creator.CreateAsync();
            }

            await creator.CreateTablesAsync();
        }

        var byMigrations = await SchemaSnapshot.DescribeAsync(storage.Settings, moduleId);
        var byModel = (await SchemaSnapshot.DescribeAsync(storage.Settings, moduleId + "-model"))
            .Select(l => l.Replace("<schema>_model", "<schema>", StringComparison.Ordinal)).ToList();

        byMigrations.Should().Contain(l => l.Contains("fed_replicas", StringComparison.Ordinal));
        byMigrations.Should().Equal(byModel);
    }

    private static FederationDbContext Create(StorageSettings settings, string moduleId)
    {
        var builder = new DbContextOptionsBuilder<FederationDbContext>();
        builder.UseModuleStorage(settings, moduleId, "node-test", new ModuleStorageHooks(settings, new OutboxSignal()));
        return new FederationDbContext(builder.Options);
    }
}
