using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Events;
using DangVu.Core.Hosting;
using DangVu.Core.Modules;
using DangVu.Core.Storage;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
