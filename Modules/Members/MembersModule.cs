using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Modules;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DangVu.Modules.Members;

/// <summary>
/// The Members module: the Party member database and its life cycle. The gRPC binding
/// (dangvu.members.v1, Rpc/) and the web pages (Web/) are mapped here once they exist.
/// </summary>
internal sealed class MembersModule : IModule
{
    public void ConfigureServices(IModuleBuilder module)
    {
        module.AddStorage<MembersDbContext>()
            .AddPermissions(MembersPermissions.All)
            .Subscribe<DisciplineRecorded, DisciplineRecordedHandler>();
        module.Services.AddMembersApplication();
    }
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
        return services;
    }
}
