using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Events;
using DangVu.Core.Hosting;
using DangVu.Core.Modules;
using DangVu.Core.Storage;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Storage;

/// <summary>
/// Migrations are written by hand, so nothing but this test keeps them true to the model: every
/// module's schema is built once by its migrations and once from its model, and the two must match.
/// </summary>
public sealed class MigrationsMatchModelTests
{
    [Theory, StorageProviders]
    public async Task Every_module_schema_built_by_migrations_matches_its_model(string provider)
    {
        await using var storage = new TestStorage(provider);
        var home = TestPaths.NewTempDirectory("home");
        try
        {
            foreach (var contextType in ModuleContextTypes(home))
            {
                var moduleId = storage.ModuleId(contextType.Name.Replace("DbContext", "").ToLowerInvariant());
                var (byMigrations, byModel) = await SchemaSnapshot.MigrationsAndModelAsync(storage.Settings, contextType, moduleId);

                byMigrations.Should().NotBeEmpty();
                byMigrations.Should().Equal(byModel, $"the migrations of {contextType.Name} must build what its model describes");
            }
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Theory, StorageProviders]
    public async Task A_storage_made_before_the_feed_lost_its_index_by_record_loses_it_on_upgrade_and_keeps_its_changes(string provider)
    {
        await using var storage = new TestStorage(provider);
        var moduleId = storage.ModuleId("core");
        Directory.CreateDirectory(storage.Settings.DatabaseDirectory);
        await using (var old = SchemaSnapshot.Create(typeof(DangVu.Core.Platform.CoreDbContext), storage.Settings, moduleId))
        {
            // As a storage made by the first migration before 2026-12-02: the index was created with the feed.
            await old.GetService<IMigrator>().MigrateAsync("20261201190000_CalendarDays");
            var feed = storage.Settings.Provider == StorageProvider.Sqlite ? "\"dv_change_feed\"" : $"\"{StorageSettings.SchemaOf(moduleId)}\".\"dv_change_feed\"";
            var index = $"CREATE INDEX \"IX_dv_change_feed_RecordType_RecordId\" ON {feed} (\"RecordType\", \"RecordId\")";
            var change = $"INSERT INTO {feed} (\"Module\", \"RecordType\", \"RecordId\", \"Version\", \"Operation\", \"OwnerOrgUnitId\", \"OriginNode\", \"Classification\", \"ChangedAt\") "
                + "VALUES ('core', 'core.org-unit', '01A23768-5D08-7C0C-8242-CD0A48D4F58D', 1, 1, '00000000-0000-0000-0000-000000000000', 'node-test', 0, '2026-11-30 08:00:00')";
            await old.Database.ExecuteSqlRawAsync(index);
            await old.Database.ExecuteSqlRawAsync(change);
        }

        (await SchemaSnapshot.DescribeAsync(storage.Settings, moduleId)).Should().Contain(l => l.Contains("IX_dv_change_feed_RecordType_RecordId", StringComparison.Ordinal));

        await using var upgraded = (ModuleDbContext)SchemaSnapshot.Create(typeof(DangVu.Core.Platform.CoreDbContext), storage.Settings, moduleId);
        await upgraded.Database.MigrateAsync();

        (await SchemaSnapshot.DescribeAsync(storage.Settings, moduleId)).Should().NotContain(l => l.Contains("IX_dv_change_feed_RecordType_RecordId", StringComparison.Ordinal));
        (await upgraded.ChangeFeed.AsNoTracking().SingleAsync()).RecordType.Should().Be("core.org-unit", "the feed keeps what it held");
    }

    /// <summary>Core's own context, this test's modules' and every fixture plugin's, the latter loaded by the real loader.</summary>
    private static List<Type> ModuleContextTypes(string home)
    {
        var installation = DangVuInstallation.Open(home);
        TestPaths.InstallFixture(installation.PluginsDirectory, "Notes", "notes");
        TestPaths.InstallFixture(installation.PluginsDirectory, "Inbox", "inbox");
        var entries = new ModuleLoader(installation).Load();
        var services = new ServiceCollection();
        ModuleRegistrar.Register(services, entries, installation.Configuration);
        var types = services.Where(s => s.ServiceType == typeof(ModuleStorage))
            .Select(s => ((ModuleStorage)s.ImplementationInstance!).ContextType)
            .Concat([typeof(DangVu.Core.Platform.CoreDbContext), typeof(LedgerDbContext), typeof(ListenerDbContext)])
            .ToList();
        types.Should().HaveCount(5, "Core, both fixture modules and the two test modules declare storage");
        return types;
    }
}
