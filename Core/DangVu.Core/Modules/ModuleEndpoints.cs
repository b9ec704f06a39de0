using DangVu.Core.Abstractions.Modules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Modules;

/// <summary>
/// Where a module maps its endpoints: a route builder of its own, whose endpoints join the
/// host's only if mapping succeeds, so a module that throws half-way maps nothing.
/// </summary>
internal sealed class ModuleEndpoints(ModuleContext context, IEndpointRouteBuilder host) : IModuleEndpoints, IEndpointRouteBuilder
{
    private readonly List<EndpointDataSource> _dataSources = [];

    public ModuleContext Context { get; } = context;

    public IEndpointRouteBuilder Routes => this;

    public IServiceProvider ServiceProvider => host.ServiceProvider;

    public ICollection<EndpointDataSource> DataSources => _dataSources;

    public IApplicationBuilder CreateApplicationBuilder() => host.CreateApplicationBuilder();

    public static void MapAll(ModuleRegistry registry, IEndpointRouteBuilder host)
    {
        foreach (var entry in registry.Loaded.ToList())
        {
            var endpoints = new ModuleEndpoints(entry.Context!, host);
            try
            {
                entry.Instance!.MapEndpoints(endpoints);
            }
            catch (Exception ex)
            {
                entry.MarkFailed($"lỗi khi khai báo địa chỉ dịch vụ: {ex.Message} (the module failed while mapping its endpoints)");

                // gRPC services it bound before failing: NOT_SERVING in health, UNAVAILABLE to callers.
                host.ServiceProvider.GetService<Rpc.Server.GrpcServiceRegistry>()?.Stop(endpoints);
                continue;
            }

            foreach (var source in endpoints._dataSources)
            {
                host.DataSources.Add(source);
            }
        }
    }
}
