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
        services.TryAddSingleton(root => new SingletonServices(root, services));
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
    public static TApp MapGrpcTransport<TApp>(this TApp app)
        where TApp : IEndpointRouteBuilder, IApplicationBuilder
    {
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<GrpcTransportOptions>>().Value;
        app.MapGrpcService<HealthService>(Grpc.Health.V1.HealthReflection.Descriptor.Services[0]);
        if (options.EnableReflection)
        {
            app.MapGrpcService<ReflectionServiceV1>(Grpc.Reflection.V1.ReflectionReflection.Descriptor.Services[0]);
            app.MapGrpcService<ReflectionServiceV1Alpha>(Grpc.Reflection.V1Alpha.ReflectionReflection.Descriptor.Services[0]);
        }

        // A gRPC POST to /{package.Service}/{Method} that no bound method took. A middleware after
        // routing, not a route: a parameter route would be a candidate of every bound method's
        // path, and matching would capture its values (three allocations) on every call.
        app.Use(next => http => http.GetEndpoint() is null && IsUnmatchedGrpcCall(http) ? UnimplementedAsync(http) : next(http));
        return app;
    }

    /// <summary>A POST of a gRPC content type to a two-segment path whose first segment is a dotted service name.</summary>
    private static bool IsUnmatchedGrpcCall(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || !GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            return false;
        }

        var path = http.Request.Path.Value.AsSpan();
        if (path.Length < 2 || path[0] != '/')
        {
            return false;
        }

        var slash = path[1..].IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }

        var service = path.Slice(1, slash);
        var method = path[(slash + 2)..];
        return service.Contains('.') && method.Length > 0 && !method.Contains('/');
    }

    private static Task UnimplementedAsync(HttpContext http)
    {
        if (!GrpcRequestCheck.Accept(http))
        {
            return Task.CompletedTask;
        }

        var path = http.Request.Path.Value!;
        var slash = path.IndexOf('/', 1);
        var service = path[1..slash];
        var method = path[(slash + 1)..];
        var registry = http.RequestServices.GetRequiredService<GrpcServiceRegistry>();
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
}
