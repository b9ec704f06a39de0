using System.Collections.Concurrent;
using DangVu.Core.Abstractions.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ProtoServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace DangVu.Core.Rpc.Server;

/// <summary>
/// A service as it is served: its descriptor, its bound methods by full name, and the route
/// builder it was bound through (a module's own, so that a module failing later can be found).
/// </summary>
internal sealed record BoundService(ProtoServiceDescriptor Descriptor, IReadOnlyDictionary<string, IServerMethod> Methods, object Owner);

/// <summary>Every service bound in this process: for routing, health, reflection and the in-process channel.</summary>
internal sealed class GrpcServiceRegistry
{
    private readonly ConcurrentDictionary<string, BoundService> _services = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IServerMethod> _methods = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, BoundService> _stopped = new(StringComparer.Ordinal);

    public event Action<BoundService>? ServiceAdded;

    /// <summary>A bound service stopped serving (its module failed after binding it).</summary>
    public event Action<BoundService>? ServiceStopped;

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

    /// <summary>By <c>/package.Service/Method</c>; null for a stopped service's method too.</summary>
    public IServerMethod? FindMethod(string fullName) =>
        _methods.TryGetValue(fullName, out var method) && !IsStopped(ServiceOf(fullName)) ? method : null;

    public bool IsStopped(string service) => _stopped.ContainsKey(service);

    /// <summary>Stops every service bound through <paramref name="owner"/>: health NOT_SERVING, calls UNAVAILABLE.</summary>
    public void Stop(object owner)
    {
        foreach (var service in _services.Values.Where(s => ReferenceEquals(s.Owner, owner)))
        {
            if (_stopped.TryAdd(service.Descriptor.FullName, service))
            {
                ServiceStopped?.Invoke(service);
            }
        }
    }

    /// <summary>The UNAVAILABLE status of a stopped service's calls (the module's failure stays in the host's log).</summary>
    public static Status StoppedStatus(string service) => new(StatusCode.Unavailable,
        $"Dịch vụ '{service}' ngừng phục vụ vì mô-đun của nó bị lỗi (service '{service}' is not serving: its module failed)");

    /// <summary><c>package.Service</c> of <c>/package.Service/Method</c>.</summary>
    public static string ServiceOf(string fullName)
    {
        var slash = fullName.IndexOf('/', 1);
        return slash < 0 ? fullName.TrimStart('/') : fullName[1..slash];
    }
}

internal sealed class GrpcServiceBinder(
    GrpcServiceRegistry registry, IOptions<GrpcTransportOptions> options, ILoggerFactory loggers, SingletonServices singletons) : IGrpcServiceBinder
{
    public IEndpointConventionBuilder Bind<TService>(IEndpointRouteBuilder endpoints, ProtoServiceDescriptor service)
        where TService : class
    {
        var logger = loggers.CreateLogger("DangVu.Rpc." + service.FullName);
        var methods = ServiceBinding.Create<TService>(service, options.Value, logger, singletons);
        registry.Add(new BoundService(service, methods.ToDictionary(m => m.FullName, StringComparer.Ordinal), endpoints));
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
