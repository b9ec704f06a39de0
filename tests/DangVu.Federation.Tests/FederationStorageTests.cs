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
        var (byMigrations, byModel) = await SchemaSnapshot.MigrationsAndModelAsync(storage.Settings, typeof(FederationDbContext), moduleId);

        byMigrations.Should().Contain(l => l.Contains("fed_replicas", StringComparison.Ordinal));
        byMigrations.Should().Equal(byModel);
    }
}
