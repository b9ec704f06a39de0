using DangVu.Contracts.Members.V1;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Modules.Members.Federation;
using DangVu.Modules.Members.Rpc;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Cli;
using DangVu.Modules.Members.Storage;
using DangVu.Modules.Members.Web;
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
            .AddNavigation(new NavigationItem("Việc đến hạn", "Due lists", "/members/due", MembersPermissions.Read, 11))
            .AddNavigation(new NavigationItem("Đảng phí", "Dues", "/members/dues", MembersPermissions.Dues, 12))
            .AddNavigation(new NavigationItem("Thống kê", "Statistics", "/members/statistics", MembersPermissions.Read, 13))
            .AddNavigation(new NavigationItem("Sổ tay đảng viên", "Member handbook", "/members/me", null, 14))
            .AddCommand<ImportCommand>(MembersCommands.Import)
            .AddCommand<ExportCommand>(MembersCommands.Export)
            .Subscribe<DisciplineRecorded, DisciplineRecordedHandler>();
        var offsetDays = module.Configuration["ClockOffsetDays"] is not { Length: > 0 } offset ? 0
            : int.TryParse(offset, out var days) ? days
            : throw new InvalidOperationException($"Modules:members:ClockOffsetDays phải là một số ngày nguyên, không phải \"{offset}\" (a whole number of days).");
        module.Services.TryAddSingleton(sp => new MembersClock(sp.GetService<TimeProvider>() ?? TimeProvider.System, offsetDays));
        module.Services.AddMembersApplication();
        module.Services.AddScoped<MembersGrpcService>();
        module.Services.AddScoped<HandoverFollower>();
        module.Services.AddScoped<IReplicaHandler, MembersReplicaHandler>();
        module.Services.AddSingleton<IHostedService>(sp => new DemoSeeder(
            sp.GetRequiredService<IServiceScopeFactory>(), module.Configuration, sp.GetRequiredService<ILogger<DemoSeeder>>()));
    }

    public void MapEndpoints(IModuleEndpoints endpoints)
    {
        endpoints.Routes.MapGrpcService<MembersGrpcService>(MembersReflection.Descriptor.Services[0]);
        MembersDownloads.Map(endpoints.Routes);
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
        services.TryAddScoped<CrossNodeTransfer>();
        services.TryAddScoped<StatusService>();
        services.TryAddScoped<BadgeService>();
        services.TryAddScoped<DuesService>();
        services.TryAddScoped<QueryService>();
        services.TryAddScoped<ImportExportService>();
        services.TryAddScoped<MemberHandbook>();
        return services;
    }
}
