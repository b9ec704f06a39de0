using System.Reflection;
using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Rpc.Server;

/// <summary>
/// Turns a service class and a protobuf service descriptor into bound methods: checks every
/// signature once, then calls through open-instance delegates (no reflection per call).
/// </summary>
internal static class ServiceBinding
{
    private static readonly MethodInfo CreateTypedMethod =
        typeof(ServiceBinding).GetMethod(nameof(CreateTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IReadOnlyList<IServerMethod> Create<TService>(
        Google.Protobuf.Reflection.ServiceDescriptor service, GrpcTransportOptions options, ILogger logger, IServiceProvider singletons)
        where TService : class
    {
        var problems = new List<string>();
        var found = new List<(MethodDescriptor Descriptor, MethodInfo Method)>();
        var candidates = typeof(TService).GetMethods(BindingFlags.Public | BindingFlags.Instance);
        foreach (var descriptor in service.Methods)
        {
            var request = descriptor.InputType.ClrType;
            var response = descriptor.OutputType.ClrType;
            if (request is null || response is null)
            {
                problems.Add($"{descriptor.Name}: the message types have no generated C# class.");
                continue;
            }

            var (parameters, returns) = Expected(descriptor, request, response);
            var expected = Describe(descriptor.Name, parameters, returns);
            var named = candidates.Where(m => m.Name == descriptor.Name).ToList();
            var match = named.FirstOrDefault(m =>
                m.ReturnType == returns && m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters));
            if (match is not null)
            {
                found.Add((descriptor, match));
            }
            else if (named.Count == 0)
            {
                problems.Add($"{typeof(TService).FullName} không có phương thức {descriptor.Name} "
                    + $"({typeof(TService).FullName} has no method {descriptor.Name}); expected: {expected}");
            }
            else
            {
                problems.Add($"{typeof(TService).FullName}.{descriptor.Name} sai chữ ký (has the wrong signature): "
                    + $"found {Describe(named[0].Name, named[0].GetParameters().Select(p => p.ParameterType).ToArray(), named[0].ReturnType)}; expected: {expected}");
            }
        }

        if (problems.Count > 0)
        {
            throw new GrpcBindingException(service.FullName, problems);
        }

        return found
            .Select(f => (IServerMethod)CreateTypedMethod
                .MakeGenericMethod(typeof(TService), f.Descriptor.InputType.ClrType, f.Descriptor.OutputType.ClrType)
                .Invoke(null, [f.Descriptor, f.Method, options, logger, singletons])!)
            .ToList();
    }

    private static (Type[] Parameters, Type Returns) Expected(MethodDescriptor method, Type request, Type response)
    {
        var context = typeof(ServerCallContext);
        var reader = typeof(IAsyncStreamReader<>).MakeGenericType(request);
        var writer = typeof(IServerStreamWriter<>).MakeGenericType(response);
        var taskOf = typeof(Task<>).MakeGenericType(response);
        return (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => ([request, context], taskOf),
            (false, true) => ([request, writer, context], typeof(Task)),
            (true, false) => ([reader, context], taskOf),
            _ => ([reader, writer, context], typeof(Task)),
        };
    }

    private static string Describe(string name, Type[] parameters, Type returns) =>
        $"{TypeName(returns)} {name}({string.Join(", ", parameters.Select(TypeName))})";

    private static string TypeName(Type type) => type.IsGenericType
        ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>"
        : type.Name;

    public static MethodType TypeOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodType.Unary,
        (true, false) => MethodType.ClientStreaming,
        (false, true) => MethodType.ServerStreaming,
        _ => MethodType.DuplexStreaming,
    };

    private static ServerMethod<TRequest, TResponse> CreateTyped<TService, TRequest, TResponse>(
        MethodDescriptor descriptor, MethodInfo method, GrpcTransportOptions options, ILogger logger, IServiceProvider singletons)
        where TService : class
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var activator = new ServiceActivator<TService>(singletons);
        var type = TypeOf(descriptor);
        ServerCallDelegate<TRequest, TResponse> invoke;
        UnaryCallDelegate<TRequest, TResponse>? unary = null;
        switch (type)
        {
            case MethodType.Unary:
            {
                var call = method.CreateDelegate<Func<TService, TRequest, ServerCallContext, Task<TResponse>>>();
                async Task<TResponse> CallOwnedAsync(TService service, TRequest request, ServerCallContext context)
                {
                    try
                    {
                        return await call(service, request, context).ConfigureAwait(false);
                    }
                    finally
                    {
                        await ServiceActivator<TService>.ReleaseAsync(service, owned: true).ConfigureAwait(false);
                    }
                }

                // The handler alone: the HTTP/2 path reads and writes around it without the streams.
                UnaryCallDelegate<TRequest, TResponse> handler = (request, context) =>
                {
                    var (service, owned) = activator.Get(context);
                    return owned ? CallOwnedAsync(service, request, context) : call(service, request, context);
                };
                unary = handler;
                invoke = async (requests, responses, context) =>
                {
                    var request = await ReadSingleAsync(requests, context).ConfigureAwait(false);
                    var response = await handler(request, context).ConfigureAwait(false);
                    await responses.WriteAsync(response).ConfigureAwait(false);
                };
                break;
            }

            case MethodType.ServerStreaming:
            {
                var call = method.CreateDelegate<Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
                invoke = async (requests, responses, context) =>
                {
                    var request = await ReadSingleAsync(requests, context).ConfigureAwait(false);
                    var (service, owned) = activator.Get(context);
                    try
                    {
                        await call(service, request, responses, context).ConfigureAwait(false);
                    }
                    finally
                    {
                        await ServiceActivator<TService>.ReleaseAsync(service, owned).ConfigureAwait(false);
                    }
                };
                break;
            }

            case MethodType.ClientStreaming:
            {
                var call = method.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>>>();
                invoke = async (requests, responses, context) =>
                {
                    var (service, owned) = activator.Get(context);
                    TResponse response;
                    try
                    {
                        response = await call(service, requests, context).ConfigureAwait(false);
                    }
                    finally
                    {
                        await ServiceActivator<TService>.ReleaseAsync(service, owned).ConfigureAwait(false);
                    }

                    await responses.WriteAsync(response).ConfigureAwait(false);
                };
                break;
            }

            default:
            {
                var call = method.CreateDelegate<Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task>>();
                invoke = async (requests, responses, context) =>
                {
                    var (service, owned) = activator.Get(context);
                    try
                    {
                        await call(service, requests, responses, context).ConfigureAwait(false);
                    }
                    finally
                    {
                        await ServiceActivator<TService>.ReleaseAsync(service, owned).ConfigureAwait(false);
                    }
                };
                break;
            }
        }

        return new ServerMethod<TRequest, TResponse>("/" + descriptor.Service.FullName + "/" + descriptor.Name, type, invoke, unary, options, logger);
    }

    /// <summary>The one request of a unary or server-streaming call: INTERNAL when there is none or more than one.</summary>
    internal static async ValueTask<T> ReadSingleAsync<T>(IAsyncStreamReader<T> requests, ServerCallContext context)
    {
        if (!await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "Thiếu thông điệp yêu cầu (missing request message)");
        }

        var request = requests.Current;
        if (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "Yêu cầu có nhiều hơn một thông điệp (more than one request message for a unary call)");
        }

        return request;
    }

    /// <summary>
    /// The service from the call's services when registered there, else made per call. A
    /// singleton comes from <c>singletons</c> (the root provider) once, so that a call whose handler
    /// needs no scoped service never creates the request's service scope.
    /// </summary>
    private sealed class ServiceActivator<TService>(IServiceProvider singletons)
        where TService : class
    {
        private ObjectFactory? _factory;
        private TService? _singleton;
        private bool _looked;

        public (TService Service, bool Owned) Get(ServerCallContext context)
        {
            // Looked up once; two first calls racing both find the same singleton.
            if (!_looked)
            {
                _singleton = singletons.GetService(typeof(TService)) as TService;
                _looked = true;
            }

            if (_singleton is not null)
            {
                return (_singleton, false);
            }

            var services = context.Services;
            if (services.GetService(typeof(TService)) is TService registered)
            {
                return (registered, false);
            }

            _factory ??= ActivatorUtilities.CreateFactory(typeof(TService), Type.EmptyTypes);
            return ((TService)_factory(services, null), true);
        }

        public static async ValueTask ReleaseAsync(TService service, bool owned)
        {
            if (!owned)
            {
                return;
            }

            if (service is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (service is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }
}
