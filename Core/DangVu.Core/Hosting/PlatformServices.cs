using System.Threading.RateLimiting;
using DangVu.Core.Abstractions.Calendar;
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
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Hosting;

/// <summary>Core's own services: its storage, the organisation tree, accounts, authorization and audit.</summary>
internal static class PlatformServices
{
    /// <summary>The rate-limit policy of sign-in endpoints: a few attempts per minute per address.</summary>
    public const string SignInRateLimit = "sign-in";

    /// <summary>Sign-in attempts allowed per address and minute (default 10).</summary>
    public const string SignInAttemptsSetting = "SignIn:AttemptsPerMinute";

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
        services.AddSingleton<WorkingCalendar>();
        services.AddSingleton<IWorkingCalendar>(sp => sp.GetRequiredService<WorkingCalendar>());
        services.AddScoped<CalendarImporter>();
        services.AddScoped<PlatformSeeder>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<AuditVerifier>();
        Federation.FederationServices.AddFederation(services, installation);
        // One limit for every sign-in door (web form, token, password change), per address; only
        // attempts (POSTs) count, so showing the sign-in page never locks anyone out.
        var permits = installation.Configuration.GetValue(SignInAttemptsSetting, 10);
        if (permits <= 0)
        {
            throw new InvalidDataException(
                $"{SignInAttemptsSetting} phải là số dương (must be a positive number), nhận được (got) {permits}");
        }

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInRateLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
        });
        return services;
    }
}
