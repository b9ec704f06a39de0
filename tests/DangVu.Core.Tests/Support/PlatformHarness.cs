using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Authorization;
using DangVu.Core.Identity;
using DangVu.Core.Modules;
using DangVu.Core.Platform;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DangVu.Core.Tests.Support;

/// <summary>Core's platform services (organisations, accounts, grants, authorization) on real storage, with a clock the test controls.</summary>
internal sealed class PlatformHarness : IAsyncDisposable
{
    private PlatformHarness(TestStorage storage, FakeTimeProvider clock)
    {
        Storage = storage;
        Clock = clock;
    }

    public TestStorage Storage { get; }

    public FakeTimeProvider Clock { get; }

    public static async Task<PlatformHarness> StartAsync(string provider, params DangVu.Core.Abstractions.Modules.PermissionDefinition[] modulePermissions)
    {
        var storage = new TestStorage(provider);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        storage.AddModule<CoreDbContext>(storage.ModuleId("core"));
        var registry = new ModuleRegistry([]);
        registry.Permissions.AddRange(modulePermissions);
        storage.Services.AddSingleton(registry);
        storage.Services.AddSingleton<TimeProvider>(clock);
        storage.Services.AddSingleton<OrganisationDirectory>();
        storage.Services.AddSingleton<IOrganisationDirectory>(sp => sp.GetRequiredService<OrganisationDirectory>());
        storage.Services.AddScoped<IAuthorizer, Authorizer>();
        storage.Services.AddScoped<UserService>();
        storage.Services.AddScoped<GrantService>();
        storage.Services.AddScoped<OrgImporter>();
        storage.Services.AddSingleton<WorkingCalendar>();
        storage.Services.AddScoped<CalendarImporter>();
        storage.Services.AddScoped<PlatformSeeder>();
        await storage.StartAsync();
        await using (var scope = storage.Provider!.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<PlatformSeeder>().SeedAsync(CancellationToken.None);
        }

        return new PlatformHarness(storage, clock);
    }

    /// <summary>Runs <paramref name="action"/> in a fresh scope, as <paramref name="actor"/> (the command line by default).</summary>
    public async Task<T> AsAsync<T>(Actor? actor, Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Storage.Provider!.CreateAsyncScope();
        using var _ = Actor.Use(actor ?? new Actor(ActorKind.Cli, "cli:test"));
        return await action(scope.ServiceProvider);
    }

    public Task AsAsync(Actor? actor, Func<IServiceProvider, Task> action) =>
        AsAsync<bool>(actor, async sp =>
        {
            await action(sp);
            return true;
        });

    public async Task ImportAsync(string csv) =>
        await AsAsync(null, sp => sp.GetRequiredService<OrgImporter>().ImportAsync(new StringReader(csv), CancellationToken.None));

    public async Task<Guid> OrgAsync(string code) =>
        (await Storage.Provider!.GetRequiredService<OrganisationDirectory>().FindByCodeAsync(code))!.Id;

    /// <summary>Creates a user with a known password (no forced change pending) and returns it as an actor.</summary>
    public async Task<Actor> UserAsync(string userName, params (string Role, string Org, bool Descendants)[] grants)
    {
        var user = await AsAsync(null, async sp => (await sp.GetRequiredService<UserService>().CreateAsync(userName, userName, "MatKhau-2026", CancellationToken.None)).User);
        foreach (var (role, org, descendants) in grants)
        {
            await AsAsync(null, sp => sp.GetRequiredService<GrantService>().GrantAsync(userName, role, org, descendants, CancellationToken.None));
        }

        return new Actor(ActorKind.User, user.UserName, user.Id, "127.0.0.1");
    }

    public ValueTask DisposeAsync() => Storage.DisposeAsync();
}
