using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Abstractions.Rpc;

/// <summary>
/// Binds a module's service class to the methods of a protobuf service. Each method of the
/// service needs a public method of the same name on the class:
/// unary <c>Task&lt;TRes&gt; M(TReq, ServerCallContext)</c>,
/// server streaming <c>Task M(TReq, IServerStreamWriter&lt;TRes&gt;, ServerCallContext)</c>,
/// client streaming <c>Task&lt;TRes&gt; M(IAsyncStreamReader&lt;TReq&gt;, ServerCallContext)</c>,
/// bidirectional <c>Task M(IAsyncStreamReader&lt;TReq&gt;, IServerStreamWriter&lt;TRes&gt;, ServerCallContext)</c>.
/// A missing method or a wrong signature throws <see cref="GrpcBindingException"/> when bound.
/// </summary>
public interface IGrpcServiceBinder
{
    IEndpointConventionBuilder Bind<TService>(IEndpointRouteBuilder endpoints, ServiceDescriptor service)
        where TService : class;
}

/// <summary>A service class does not match the protobuf service it is bound to.</summary>
public sealed class GrpcBindingException(string serviceName, IReadOnlyList<string> problems)
    : InvalidOperationException(
        $"Dịch vụ gRPC '{serviceName}' không khớp với hợp đồng (the gRPC service '{serviceName}' does not match its contract):"
        + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    public string ServiceName { get; } = serviceName;

    public IReadOnlyList<string> Problems { get; } = problems;
}

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves <paramref name="service"/> (for instance <c>MembersReflection.Descriptor.Services[0]</c>)
    /// with <typeparamref name="TService"/>, resolved from the request's services or created per call.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService<TService>(this IEndpointRouteBuilder endpoints, ServiceDescriptor service)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        var binder = endpoints.ServiceProvider.GetService<IGrpcServiceBinder>()
            ?? throw new InvalidOperationException("The gRPC transport is not registered (AddGrpcTransport).");
        return binder.Bind<TService>(endpoints, service);
    }
}
