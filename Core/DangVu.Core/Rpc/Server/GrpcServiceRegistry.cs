using System.Collections.Concurrent;
using DangVu.Core.Abstractions.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace DangVu.Core.Rpc.Server;

/// <summary>A service as it is served: its descriptor and its bound methods by full name.</summary>
internal sealed record BoundService(ProtoServiceDescriptor Descriptor, IReadOnlyDictionary<string, IServerMethod> Methods);

/// <summary>Every service bound in this process: for routing, health, reflection and the in-process channel.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, BoundService> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IServerMethod> _methods = new(StringComparer.Ordinal);

    public event Action<BoundService>? ServiceAdded;

    public IReadOnlyCollection<BoundService> Services => _services.Values.ToList();

    public void Add(BoundService service)
    {
        if (!_services.TryAdd(service.Descriptor.FullName, service))
        {
            throw new InvalidOperationException($"Dịch vụ gRPC '{service.Descriptor.FullName}' đã được đăng ký (the gRPC service '{service.Descriptor.FullName}' is already bound).");
        }

        foreach (var method in service.Methods.Values)
        {
            _methods[method.FullName] = method;
        }

        ServiceAdded?.Invoke(service);
    }

    public bool TryGetService(string name, out BoundService service) => _services.TryGetValue(name, out service!);

    /// <summary>By <c>/package.Service/Method</c>.</summary>
    public IServerMethod? FindMethod(string fullName) => _methods.GetValueOrDefault(fullName);
}

internal sealed class GrpcServiceBinder(
    GrpcServiceRegistry registry, IOptions<GrpcTransportOptions> options, ILoggerFactory loggers) : IGrpcServiceBinder
{
    public IEndpointConventionBuilder Bind<TService>(IEndpointRouteBuilder endpoints, ProtoServiceDescriptor service)
        where TService : class
    {
        var logger = loggers.CreateLogger("DangVu.Rpc." + service.FullName);
        var methods = ServiceBinding.Create<TService>(service, options.Value, logger);
        registry.Add(new BoundService(service, methods.ToDictionary(m => m.FullName, StringComparer.Ordinal)));
        var builders = methods
            .Select(m => endpoints.MapPost(m.FullName, m.HandleAsync).WithDisplayName("gRPC " + m.FullName))
            .ToList();
        return new CompositeConventionBuilder(builders);
    }

    private sealed class CompositeConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
