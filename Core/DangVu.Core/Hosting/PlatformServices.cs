using System.Threading.RateLimiting;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Audit;
using DangVu.Core.Authorization;
using DangVu.Core.Identity;
using DangVu.Core.Platform;
using DangVu.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Hosting;

/// <summary>Core's own services: its storage, the organisation tree, accounts, authorization and audit.</summary>
internal static class PlatformServices
{
    /// <summary>The rate-limit policy of sign-in endpoints: a few attempts per minute per address.</summary>
    public const string SignInRateLimit = "sign-in";

    public static IServiceCollection AddDangVuPlatform(this IServiceCollection services, DangVuInstallation installation)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddModuleStorage<CoreDbContext>(CoreDbContext.StorageId, installation.NodeId);
        services.AddSingleton<OrganisationDirectory>();
        services.AddSingleton<IOrganisationDirectory>(sp => sp.GetRequiredService<OrganisationDirectory>());
        services.AddSingleton<NodeScope>();
        services.AddSingleton<INodeScope>(sp => sp.GetRequiredService<NodeScope>());
        services.AddScoped<IAuthorizer, Authorizer>();
        services.AddScoped<UserService>();
        services.AddScoped<GrantService>();
        services.AddScoped<OrgImporter>();
        services.AddScoped<PlatformSeeder>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuditVerifier>();
        Federation.FederationServices.AddFederation(services, installation);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }
}
