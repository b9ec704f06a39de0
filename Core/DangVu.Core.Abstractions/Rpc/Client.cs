using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DangVu.Core.Abstractions.Rpc;

public enum MethodType
{
    Unary,
    ClientStreaming,
    ServerStreaming,
    DuplexStreaming,
}

/// <summary>A method of a service as a client calls it.</summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    public Method(MethodType type, string serviceName, string name, bool idempotent = false)
    {
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = "/" + serviceName + "/" + name;
        Idempotent = idempotent;
    }

    public MethodType Type { get; }

    /// <summary>The service's full name, <c>package.Service</c>.</summary>
    public string ServiceName { get; }

    public string Name { get; }

    /// <summary><c>/package.Service/Method</c>, the HTTP/2 path.</summary>
    public string FullName { get; }

    /// <summary>Whether the call may be retried when the server is unavailable.</summary>
    public bool Idempotent { get; }

    public static MessageParser<TRequest> RequestParser { get; } = new(() => new TRequest());

    public static MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());

    /// <summary>
    /// The method from the service descriptor; idempotent when the proto says
    /// <c>option idempotency_level = IDEMPOTENT</c> (or NO_SIDE_EFFECTS).
    /// </summary>
    public static Method<TRequest, TResponse> From(MethodDescriptor method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{method.FullName} takes {method.InputType.ClrType?.Name} and returns {method.OutputType.ClrType?.Name}, "
                + $"not {typeof(TRequest).Name} and {typeof(TResponse).Name}.");
        }

        var type = (method.IsClientStreaming, method.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var level = method.GetOptions()?.IdempotencyLevel ?? MethodOptions.Types.IdempotencyLevel.IdempotencyUnknown;
        var idempotent = level is MethodOptions.Types.IdempotencyLevel.Idempotent or MethodOptions.Types.IdempotencyLevel.NoSideEffects;
        return new Method<TRequest, TResponse>(type, method.Service.FullName, method.Name, idempotent);
    }
}

/// <summary>How one call is made.</summary>
public sealed record CallOptions
{
    public Metadata? Headers { get; init; }

    /// <summary>UTC; null for no deadline.</summary>
    public DateTime? Deadline { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Retry on UNAVAILABLE even when the method is not marked idempotent.</summary>
    public bool Idempotent { get; init; }

    /// <summary>Send request messages gzip-compressed (<c>"gzip"</c>), or null for the channel's default.</summary>
    public string? Compression { get; init; }

    public static CallOptions Default { get; } = new();

    public CallOptions WithTimeout(TimeSpan timeout) => this with { Deadline = DateTime.UtcNow + timeout };
}

/// <summary>The request stream of a client or bidirectional call.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>A call in progress, on the client.</summary>
public abstract class RpcCall<TRequest, TResponse> : IAsyncDisposable
{
    public abstract IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call ends with an error.</summary>
    public abstract IAsyncStreamReader<TResponse> ResponseStream { get; }

    public abstract Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The status, once the response stream has ended.</summary>
    public abstract Status GetStatus();

    /// <summary>The trailers, once the response stream has ended.</summary>
    public abstract Metadata GetTrailers();

    /// <summary>Cancels the call if it has not ended.</summary>
    public abstract ValueTask DisposeAsync();
}

/// <summary>Makes calls: over HTTP/2 to another process, or in process to a bound service.</summary>
public abstract class CallInvoker
{
    /// <summary>Starts a call of any type; for unary and server-streaming calls write exactly one request.</summary>
    public abstract RpcCall<TRequest, TResponse> Start<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new();

    public virtual async Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        await using var call = Start(method, options ?? CallOptions.Default);
        await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await ReadSingleAsync(call).ConfigureAwait(false);
    }

    /// <summary>A server-streaming call: its responses as they arrive.</summary>
    public virtual async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        await using var call = Start(method, options ?? CallOptions.Default);
        await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        while (await call.ResponseStream.MoveNext().ConfigureAwait(false))
        {
            yield return call.ResponseStream.Current;
        }
    }

    public async Task<TResponse> ClientStreamingAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, IEnumerable<TRequest> requests, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        await using var call = Start(method, options ?? CallOptions.Default);
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request).ConfigureAwait(false);
        }

        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return await ReadSingleAsync(call).ConfigureAwait(false);
    }

    protected static async Task<TResponse> ReadSingleAsync<TRequest, TResponse>(RpcCall<TRequest, TResponse> call)
    {
        if (!await call.ResponseStream.MoveNext().ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "Máy chủ không trả lời (the server sent no response message)");
        }

        var response = call.ResponseStream.Current;
        if (await call.ResponseStream.MoveNext().ConfigureAwait(false))
        {
            throw new RpcException(StatusCode.Internal, "Máy chủ trả lời nhiều hơn một thông điệp (the server sent more than one response message)");
        }

        return response;
    }
}

/// <summary>
/// A typed client for a protobuf service with no generated code: methods are found by name in
/// the service descriptor, e.g. <c>client.UnaryAsync&lt;GetMemberRequest, Member&gt;("GetMember", request)</c>.
/// </summary>
public sealed class ServiceClient(CallInvoker invoker, ServiceDescriptor service)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _methods = new(StringComparer.Ordinal);

    public CallInvoker Invoker { get; } = invoker;

    public ServiceDescriptor Service { get; } = service;

    public Method<TRequest, TResponse> Method<TRequest, TResponse>(string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = _methods.GetOrAdd(name, n => Rpc.Method<TRequest, TResponse>.From(
            Service.FindMethodByName(n) ?? throw new ArgumentException($"{Service.FullName} has no method '{n}'.", nameof(name))));
        return method as Method<TRequest, TResponse>
            ?? throw new ArgumentException($"{Service.FullName}/{name} was used with other message types before.", nameof(name));
    }

    public Task<TResponse> UnaryAsync<TRequest, TResponse>(string name, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Invoker.UnaryAsync(Method<TRequest, TResponse>(name), request, options);

    public IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(string name, TRequest request, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Invoker.ServerStreamingAsync(Method<TRequest, TResponse>(name), request, options);

    public Task<TResponse> ClientStreamingAsync<TRequest, TResponse>(string name, IEnumerable<TRequest> requests, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Invoker.ClientStreamingAsync(Method<TRequest, TResponse>(name), requests, options);

    public RpcCall<TRequest, TResponse> Start<TRequest, TResponse>(string name, CallOptions? options = null)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        Invoker.Start(Method<TRequest, TResponse>(name), options ?? CallOptions.Default);
}

/// <summary>
/// Calls to services bound in this process, without a socket, as the given caller:
/// <c>context.Services.GetRequiredService&lt;IInProcessChannelFactory&gt;().CreateInvoker(context.User)</c>.
/// </summary>
public interface IInProcessChannelFactory
{
    CallInvoker CreateInvoker(System.Security.Claims.ClaimsPrincipal caller);
}

/// <summary>
/// What generated clients (build/DangVu.Rpc.Generator) look up once, at type initialisation:
/// the service and its methods in protoc's descriptors, with errors naming what does not match.
/// </summary>
public static class RpcContract
{
    public static ServiceDescriptor Service(FileDescriptor file, string name)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Services.FirstOrDefault(s => s.Name == name)
            ?? throw new InvalidOperationException(
                $"{file.Name} không có dịch vụ '{name}' ({file.Name} has no service '{name}'; the generated client is out of date)");
    }

    public static Method<TRequest, TResponse> Method<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(service);
        var method = service.FindMethodByName(name)
            ?? throw new InvalidOperationException(
                $"{service.FullName} không có phương thức '{name}' ({service.FullName} has no method '{name}'; the generated client is out of date)");
        return Rpc.Method<TRequest, TResponse>.From(method);
    }
}
