using System.Text.Json;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Hosting;
using DangVu.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Federation;

/// <summary>Registers federation in the host: its storage, keys, the gRPC services and the background sync.</summary>
internal static class FederationServices
{
    public const string HealthPath = "/health/federation";

    public static IServiceCollection AddFederation(this IServiceCollection services, DangVuInstallation installation)
    {
        services.AddModuleStorage<FederationDbContext>(FederationDbContext.StorageId, installation.NodeId);
        services.AddSingleton<NodeKeys>();
        services.AddScoped<EnrolmentService>();
        services.AddScoped<SyncService>();
        services.AddScoped<ReplicaApplier>();
        services.AddScoped<FederationAdmin>();
        services.AddScoped<FederationStatus>();
        services.AddSingleton<FederationPusher>();
        services.AddHostedService<FederationBackgroundSync>();
        return services;
    }

    public static IEndpointRouteBuilder MapFederation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<EnrolmentService>(FederationReflection.Descriptor.Services[0]);
        endpoints.MapGrpcService<SyncService>(FederationReflection.Descriptor.Services[1]);
        endpoints.MapGet(HealthPath, async (FederationStatus status, CancellationToken cancellationToken) =>
            Results.Text(JsonSerializer.Serialize(await status.ReadAsync(cancellationToken), FederationStatus.Json), "application/json"));
        return endpoints;
    }
}
