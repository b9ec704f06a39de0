using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Modules.Members.Federation;
using DangVu.Modules.Members.Rpc;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DangVu.Modules.Members;

/// <summary>
/// The Members module: the Party member database and its life cycle, served as
/// <c>dangvu.members.v1.MembersService</c> over the platform's gRPC transport.
/// </summary>
internal sealed class MembersModule : IModule
{
    public void ConfigureServices(IModuleBuilder module)
    {
        module.AddStorage<MembersDbContext>()
            .AddPermissions(MembersPermissions.All)
            .AddNavigation(new NavigationItem("Đảng viên", "Members", "/members", MembersPermissions.Read, 10))
            .Subscribe<DisciplineRecorded, DisciplineRecordedHandler>();
        module.Services.AddMembersApplication();
        module.Services.AddScoped<MembersGrpcService>();
        module.Services.AddScoped<IReplicaHandler, MembersReplicaHandler>();
        module.Services.AddSingleton<IHostedService>(sp => new DemoSeeder(
            sp.GetRequiredService<IServiceScopeFactory>(), module.Configuration, sp.GetRequiredService<ILogger<DemoSeeder>>()));
    }

    public void MapEndpoints(IModuleEndpoints endpoints) =>
        endpoints.Routes.MapGrpcService<MembersGrpcService>(MembersReflection.Descriptor.Services[0]);
}

internal static class MembersServiceCollectionExtensions
{
    /// <summary>The module's application services (scoped, like its DbContext).</summary>
    public static IServiceCollection AddMembersApplication(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MembersClock>();
        services.TryAddScoped<MemberAccess>();
        services.TryAddScoped<RuleBook>();
        services.TryAddScoped<AdmissionService>();
        services.TryAddScoped<TransferService>();
        services.TryAddScoped<StatusService>();
        services.TryAddScoped<BadgeService>();
        services.TryAddScoped<DuesService>();
        services.TryAddScoped<QueryService>();
        services.TryAddScoped<ImportExportService>();
        return services;
    }
}
