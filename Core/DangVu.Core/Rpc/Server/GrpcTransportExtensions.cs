using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DangVu.Core.Rpc.Server;

/// <summary>What the host calls to serve gRPC: see <c>Core/DangVu.Core/Rpc/README.md</c>.</summary>
public static class GrpcTransportExtensions
{
    /// <summary>Registers the transport: the binder modules use, health, reflection, the in-process channel.</summary>
    public static IServiceCollection AddGrpcTransport(this IServiceCollection services, IConfiguration? section = null)
    {
        var options = services.AddOptions<GrpcTransportOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        services.AddRouting();
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<IGrpcServiceBinder, GrpcServiceBinder>();
        services.TryAddSingleton<GrpcHealthStatus>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<ReflectionServiceV1>();
        services.TryAddSingleton<ReflectionServiceV1Alpha>();
        services.TryAddSingleton<IInProcessChannelFactory, InProcessChannelFactory>();
        return services;
    }

    /// <summary>
    /// Serves health, reflection (unless disabled) and UNIMPLEMENTED for any other
    /// <c>/package.Service/Method</c> (UNAVAILABLE for a stopped service); modules add their
    /// services with <c>MapGrpcService</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapGrpcTransport(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GrpcTransportOptions>>().Value;
        endpoints.MapGrpcService<HealthService>(Grpc.Health.V1.HealthReflection.Descriptor.Services[0]);
        if (options.EnableReflection)
        {
            endpoints.MapGrpcService<ReflectionServiceV1>(Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0]);
            endpoints.MapGrpcService<ReflectionServiceV1Alpha>(Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0]);
        }

        // Last in line: a gRPC POST to /{package.Service}/{Method} that no bound method took. The
        // constraint leaves every other request to the host's own routes and fallbacks.
        var pattern = Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(
            "/{service}/{method}", defaults: null, parameterPolicies: new RouteValueDictionary { ["service"] = new GrpcRequestConstraint() });
        endpoints.Map(pattern, UnimplementedAsync)
            .WithMetadata(new HttpMethodMetadata(["POST"]))
            .WithDisplayName("gRPC unimplemented")
            .Add(b => ((RouteEndpointBuilder)b).Order = 10_000);
        return endpoints;
    }

    private static Task UnimplementedAsync(HttpContext http)
    {
        var service = http.Request.RouteValues["service"] as string ?? "";
        if (!GrpcRequestCheck.Accept(http))
        {
            return Task.CompletedTask;
        }

        var registry = http.RequestServices.GetRequiredService<GrpcServiceRegistry>();
        var method = http.Request.RouteValues["method"] as string ?? "";
        var status = registry.IsStopped(service) ? GrpcServiceRegistry.StoppedStatus(service)
            : new Status(StatusCode.Unimplemented, registry.TryGetService(service, out _)
                ? $"Dịch vụ '{service}' không có phương thức '{method}' (method '{method}' of service '{service}' is unimplemented)"
                : $"Không có dịch vụ '{service}' (service '{service}' is unimplemented)");
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(status.StatusCode);
        http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(status.Detail);
        return Task.CompletedTask;
    }

    /// <summary>A gRPC request: a dotted service name and a gRPC content type.</summary>
    private sealed class GrpcRequestConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            values.TryGetValue(routeKey, out var value) && value is string service && service.Contains('.', StringComparison.Ordinal)
            && (httpContext is null || GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType));
    }
}
