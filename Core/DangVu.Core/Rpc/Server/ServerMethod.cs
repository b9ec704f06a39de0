using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Rpc.Server;

/// <summary>A bound method, whatever its message types.</summary>
internal interface IServerMethod
{
    string FullName { get; }

    MethodType Type { get; }

    Type RequestType { get; }

    Type ResponseType { get; }

    Task HandleAsync(HttpContext http);
}

/// <summary>
/// Every call type in one shape: a handler reads requests from a stream and writes responses to
/// a stream (unary and server streaming read exactly one request; unary and client streaming
/// write exactly one response). The HTTP/2 path and the in-process channel both drive this.
/// </summary>
internal delegate Task ServerCallDelegate<TRequest, TResponse>(
    IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>A unary method's handler on its own (the service taken and released around the call).</summary>
internal delegate Task<TResponse> UnaryCallDelegate<TRequest, TResponse>(TRequest request, ServerCallContext context);

internal sealed class ServerMethod<TRequest, TResponse>(
    string fullName,
    MethodType type,
    ServerCallDelegate<TRequest, TResponse> invoke,
    UnaryCallDelegate<TRequest, TResponse>? unary,
    GrpcTransportOptions options,
    ILogger logger) : IServerMethod
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly MessageParser<TRequest> Parser = GrpcProtocol.ParserOf<TRequest>();

    private static readonly Status DeadlineExceededStatus = new(StatusCode.DeadlineExceeded, "Đã quá hạn (deadline exceeded)");

    public string FullName { get; } = fullName;

    public MethodType Type { get; } = type;

    public Type RequestType => typeof(TRequest);

    public Type ResponseType => typeof(TResponse);

    public ServerCallDelegate<TRequest, TResponse> Invoke { get; } = invoke;

    public ILogger Logger { get; } = logger;

    public Task HandleAsync(HttpContext http)
    {
        if (!GrpcRequestCheck.Accept(http))
        {
            return Task.CompletedTask;
        }

        // A stream may run long and idle: Kestrel's body size limit and minimum data rate are the wrong guards here.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (Type is MethodType.ClientStreaming or MethodType.DuplexStreaming
            && http.Features.Get<Microsoft.AspNetCore.Server.Kestrel.Core.Features.IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }

        var call = new HttpServerCallContext(http, options, FullName, Logger, streamsResponses: Type is MethodType.ServerStreaming or MethodType.DuplexStreaming);
        if (call.Start() is { } status)
        {
            http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
            return EndAndDisposeAsync(call, status);
        }

        // A deadline needs a race between the handler and the timer: the general path.
        return unary is not null && !call.HasDeadline ? HandleUnary(http, call, unary) : HandleCallAsync(http, call);
    }

    /// <summary>
    /// A unary call without a deadline, in one pass when it can: a request already whole in the
    /// body's buffer is parsed on the spot, and a handler that completes synchronously has its
    /// response and status written before this returns, with no state machine of ours in between.
    /// </summary>
    private Task HandleUnary(HttpContext http, HttpServerCallContext call, UnaryCallDelegate<TRequest, TResponse> handler)
    {
        Task<TResponse> response;
        try
        {
            response = (call.TryReadWholeRequest(Parser, out var request)
                ? handler(request, call)
                : ReadThenHandleAsync(call, handler))
                ?? throw new InvalidOperationException($"The handler of {FullName} returned no task.");
        }
        catch (Exception e)
        {
            response = Task.FromException<TResponse>(e);
        }

        if (!response.IsCompleted)
        {
            return EndUnaryAsync(http, call, response);
        }

        Task end;
        try
        {
            end = EndUnary(http, call, response);
        }
        catch
        {
            call.Dispose();
            throw;
        }

        if (!end.IsCompleted)
        {
            return DisposeAfterAsync(call, end);
        }

        call.Dispose();
        return end;
    }

    private static async Task<TResponse> ReadThenHandleAsync(HttpServerCallContext call, UnaryCallDelegate<TRequest, TResponse> handler)
    {
        var request = await ServiceBinding.ReadSingleAsync(new CallStreams(call, stream: false), call).ConfigureAwait(false);
        return await handler(request, call).ConfigureAwait(false);
    }

    private async Task EndUnaryAsync(HttpContext http, HttpServerCallContext call, Task<TResponse> response)
    {
        using (call)
        {
            try
            {
                await response.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Mapped to its status by EndUnary.
            }

            await EndUnary(http, call, response).ConfigureAwait(false);
        }
    }

    /// <summary>The finished handler's response (unflushed: it leaves with the trailers) and the call's status.</summary>
    private Task EndUnary(HttpContext http, HttpServerCallContext call, Task<TResponse> response)
    {
        Status final;
        try
        {
            call.WriteSingleMessage(response.GetAwaiter().GetResult());
            final = call.Status;
        }
        catch (Exception e)
        {
            if (FailureStatus(http, call, e) is not { } failure)
            {
                return Task.CompletedTask;
            }

            final = failure;
        }

        return call.EndAsync(final, complete: false);
    }

    private static async Task DisposeAfterAsync(HttpServerCallContext call, Task end)
    {
        using (call)
        {
            await end.ConfigureAwait(false);
        }
    }

    private static async Task EndAndDisposeAsync(HttpServerCallContext call, Status status)
    {
        using (call)
        {
            await call.EndAsync(status, complete: false).ConfigureAwait(false);
        }
    }

    /// <summary>Every call type through its streams, with the deadline's race when the call has one.</summary>
    private async Task HandleCallAsync(HttpContext http, HttpServerCallContext call)
    {
        using var owned = call;
        Task handler;
        try
        {
            var streams = new CallStreams(call, call.StreamsResponses);
            handler = Invoke(streams, streams, call);
        }
        catch (Exception e)
        {
            handler = Task.FromException(e);
        }

        if (call.HasDeadline && !handler.IsCompleted)
        {
            var first = await Task.WhenAny(handler, call.DeadlineReached).ConfigureAwait(false);
            if (first != handler)
            {
                await call.EndAsync(DeadlineExceededStatus, complete: true).ConfigureAwait(false);
                try
                {
                    await handler.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The handler saw its token cancelled; the client already has its status.
                }

                return;
            }
        }

        Status final;
        try
        {
            await handler.ConfigureAwait(false);
            final = call.Status;
        }
        catch (Exception e)
        {
            if (FailureStatus(http, call, e) is not { } failure)
            {
                return;
            }

            final = failure;
        }

        await call.EndAsync(final, complete: false).ConfigureAwait(false);
    }

    /// <summary>The status a handler's exception ends the call with; null when the client reset the stream and nobody is listening.</summary>
    private Status? FailureStatus(HttpContext http, HttpServerCallContext call, Exception e)
    {
        if (call.DeadlineExceeded && e is OperationCanceledException or IOException or RpcException { StatusCode: StatusCode.DeadlineExceeded or StatusCode.Cancelled })
        {
            return DeadlineExceededStatus;
        }

        if (http.RequestAborted.IsCancellationRequested)
        {
            return null;
        }

        if (e is RpcException rpc)
        {
            call.AddTrailers(rpc.Trailers);
        }

        return RpcStatusMapper.ToStatus(e, Logger, FullName);
    }

    /// <summary>
    /// The call's request reader and response writer in one object (one allocation per call). A
    /// single response is not flushed: it leaves with the trailers, in one go.
    /// </summary>
    private sealed class CallStreams(HttpServerCallContext call, bool stream) : IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>
    {
        private TRequest? _current;

        public TRequest Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

        public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
        {
            _current = await call.ReadMessageAsync(Parser, cancellationToken).ConfigureAwait(false);
            return _current is not null;
        }

        public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default) =>
            call.WriteMessageAsync(message, stream, cancellationToken);
    }
}

/// <summary>The HTTP-level checks before a request is a gRPC call.</summary>
internal static class GrpcRequestCheck
{
    /// <summary>False after answering a request that is not gRPC over HTTP/2.</summary>
    public static bool Accept(HttpContext http)
    {
        if (!GrpcProtocol.IsGrpcContentType(http.Request.ContentType))
        {
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            http.Response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(StatusCode.Internal);
            http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(
                $"Kiểu nội dung không được hỗ trợ '{http.Request.ContentType}' (content-type '{http.Request.ContentType}' is not supported; expected application/grpc)");
            return false;
        }

        if (!HttpProtocol.IsHttp2(http.Request.Protocol) && !HttpProtocol.IsHttp3(http.Request.Protocol))
        {
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "h2c";
            http.Response.Headers[GrpcProtocol.StatusHeader] = GrpcProtocol.FormatStatus(StatusCode.Internal);
            http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(
                "gRPC cần HTTP/2 (gRPC requires HTTP/2)");
            return false;
        }

        return true;
    }
}
