using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Polly;
using Polly.Retry;

namespace DangVu.Core.Rpc.Client;

/// <summary>Settings of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary><c>"gzip"</c> to compress request messages by default.</summary>
    public string? Compression { get; set; }

    /// <summary>Client certificates for mutual TLS.</summary>
    public X509CertificateCollection? ClientCertificates { get; set; }

    /// <summary>Checks the server's certificate (for a private CA or a pinned certificate); the system's check when null.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>A handler of one's own (tests, proxies); the channel then does not dispose it.</summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Attempts after the first for idempotent calls that fail with UNAVAILABLE.</summary>
    public int MaxRetryAttempts { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// A client connection to a gRPC server over HTTP/2: h2c (prior knowledge) for <c>http://</c>,
/// TLS or mutual TLS for <c>https://</c>. Thread-safe; make one per server and keep it.
/// </summary>
public sealed class GrpcChannel : CallInvoker, IDisposable
{
    private readonly HttpMessageInvoker _http;
    private readonly ResiliencePipeline _retry;

    private GrpcChannel(Uri address, GrpcChannelOptions options)
    {
        Address = address;
        Options = options;
        if (options.HttpHandler is { } handler)
        {
            _http = new HttpMessageInvoker(handler, disposeHandler: false);
        }
        else
        {
            var sockets = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                AutomaticDecompression = DecompressionMethods.None,
                UseCookies = false,
                UseProxy = false,
            };
            if (options.ClientCertificates is not null || options.ServerCertificateValidation is not null)
            {
                sockets.SslOptions = new SslClientAuthenticationOptions
                {
                    ClientCertificates = options.ClientCertificates,
                    RemoteCertificateValidationCallback = options.ServerCertificateValidation,
                };
            }

            _http = new HttpMessageInvoker(sockets, disposeHandler: true);
        }

        _retry = options.MaxRetryAttempts <= 0
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => e.StatusCode == StatusCode.Unavailable),
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    Delay = options.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .Build();
    }

    public Uri Address { get; }

    public GrpcChannelOptions Options { get; }

    internal HttpMessageInvoker Http => _http;

    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address, UriKind.Absolute), options);

    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null) =>
        new(address, options ?? new GrpcChannelOptions());

    public override RpcCall<TRequest, TResponse> Start<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options) =>
        new HttpClientCall<TRequest, TResponse>(this, method, options);

    /// <summary>A unary call; retried with backoff on UNAVAILABLE when the method or the options say it is idempotent.</summary>
    public override Task<TResponse> UnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
    {
        options ??= CallOptions.Default;
        if (!method.Idempotent && !options.Idempotent)
        {
            return base.UnaryAsync(method, request, options);
        }

        return _retry.ExecuteAsync(
            static async (state, _) => await state.Self.BaseUnaryAsync(state.Method, state.Request, state.Options).ConfigureAwait(false),
            (Self: this, Method: method, Request: request, Options: options),
            options.CancellationToken).AsTask();
    }

    /// <summary>
    /// A server-streaming call; when the method or the options say it is idempotent, retried with
    /// backoff on UNAVAILABLE until its first response arrives, never after (that would repeat data).
    /// </summary>
    public override IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions? options = null)
    {
        options ??= CallOptions.Default;
        return method.Idempotent || options.Idempotent
            ? RetriedStreamAsync(method, request, options)
            : base.ServerStreamingAsync(method, request, options);
    }

    private async IAsyncEnumerable<TResponse> RetriedStreamAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, TRequest request, CallOptions options)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var (call, any) = await _retry.ExecuteAsync(
            static async (state, _) =>
            {
                var call = state.Self.Start(state.Method, state.Options);
                try
                {
                    await call.RequestStream.WriteAsync(state.Request).ConfigureAwait(false);
                    await call.RequestStream.CompleteAsync().ConfigureAwait(false);
                    return (call, await call.ResponseStream.MoveNext().ConfigureAwait(false));
                }
                catch
                {
                    await call.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
            },
            (Self: this, Method: method, Request: request, Options: options),
            options.CancellationToken).ConfigureAwait(false);

        await using (call.ConfigureAwait(false))
        {
            if (!any)
            {
                yield break;
            }

            yield return call.ResponseStream.Current;
            while (await call.ResponseStream.MoveNext().ConfigureAwait(false))
            {
                yield return call.ResponseStream.Current;
            }
        }
    }

    private Task<TResponse> BaseUnaryAsync<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new() =>
        base.UnaryAsync(method, request, options);

    internal HttpRequestMessage CreateRequest(string fullName, CallOptions options, HttpContent content, string? compression)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, fullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", "dangvu-grpc/1.0");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (compression is not null)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, compression);
        }

        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(deadline - DateTime.UtcNow));
        }

        if (options.Headers is not null)
        {
            foreach (var entry in options.Headers)
            {
                headers.TryAddWithoutValidation(entry.Key, GrpcProtocol.EncodeValue(entry));
            }
        }

        content.Headers.ContentType = new MediaTypeHeaderValue(GrpcProtocol.ContentType);
        return request;
    }

    public void Dispose() => _http.Dispose();
}
