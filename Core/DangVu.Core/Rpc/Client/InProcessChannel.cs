using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Server;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Rpc.Client;

/// <summary>Makes in-process invokers: calls to services bound in this process, without a socket.</summary>
internal sealed class InProcessChannelFactory(GrpcServiceRegistry registry, IServiceScopeFactory scopes, ILoggerFactory loggers)
    : IInProcessChannelFactory
{
    public CallInvoker CreateInvoker(ClaimsPrincipal caller) =>
        new InProcessCallInvoker(registry, scopes, loggers.CreateLogger("DangVu.Rpc.InProcess"), caller);
}

/// <summary>
/// Runs the bound handler directly: requests and responses are copied (never shared with the
/// other module), the caller's identity is the handler's <see cref="ServerCallContext.User"/>,
/// errors become statuses exactly as over HTTP/2.
/// </summary>
internal sealed class InProcessCallInvoker(GrpcServiceRegistry registry, IServiceScopeFactory scopes, ILogger logger, ClaimsPrincipal caller)
    : CallInvoker
{
    public override RpcCall<TRequest, TResponse> Start<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options)
    {
        var bound = registry.FindMethod(method.FullName);
        if (bound is ServerMethod<TRequest, TResponse> typed)
        {
            return new InProcessCall<TRequest, TResponse>(typed, scopes, logger, caller, options);
        }

        var service = GrpcServiceRegistry.ServiceOf(method.FullName);
        var status = registry.IsStopped(service) ? GrpcServiceRegistry.StoppedStatus(service)
            : bound is null ? new Status(StatusCode.Unimplemented, $"Không có phương thức '{method.FullName}' (method '{method.FullName}' is unimplemented)")
            : new Status(StatusCode.Internal, $"Kiểu thông điệp của '{method.FullName}' không khớp (message types of '{method.FullName}' do not match)");
        return new FailedCall<TRequest, TResponse>(status);
    }

    private sealed class FailedCall<TRequest, TResponse>(Status status) : RpcCall<TRequest, TResponse>, IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>
    {
        public override IClientStreamWriter<TRequest> RequestStream => this;

        public override IAsyncStreamReader<TResponse> ResponseStream => this;

        public override Task<Metadata> ResponseHeadersAsync => Task.FromResult(new Metadata());

        public TResponse Current => throw new InvalidOperationException("The call failed.");

        public override Status GetStatus() => status;

        public override Metadata GetTrailers() => new();

        public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task CompleteAsync() => Task.CompletedTask;

        public Task<bool> MoveNext(CancellationToken cancellationToken = default) => throw new RpcException(status);

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

internal sealed class InProcessCall<TRequest, TResponse> : RpcCall<TRequest, TResponse>, IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly Channel<TRequest> _requests = Channel.CreateBounded<TRequest>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
    private readonly Channel<TResponse> _responses = Channel.CreateBounded<TResponse>(new BoundedChannelOptions(16) { SingleReader = true, SingleWriter = true });
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenSource? _deadlineTimer;
    private readonly CallOptions _options;
    private readonly Context _context;
    private readonly Task _run;
    private TResponse? _current;
    private Status? _status;

    public InProcessCall(ServerMethod<TRequest, TResponse> method, IServiceScopeFactory scopes, ILogger logger, ClaimsPrincipal caller, CallOptions options)
    {
        _options = options;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var left = deadline - DateTime.UtcNow;
            _deadlineTimer = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            _deadlineTimer.Token.Register(static state => ((CancellationTokenSource)state!).Cancel(), _cts);
        }

        var headers = new Metadata();
        foreach (var entry in options.Headers ?? new Metadata())
        {
            headers.Add(entry);
        }

        _context = new Context(this, method.FullName, caller, headers, options.Deadline ?? DateTime.MaxValue);
        _run = Task.Run(() => RunAsync(method, scopes, logger));
    }

    public override IClientStreamWriter<TRequest> RequestStream => this;

    public override IAsyncStreamReader<TResponse> ResponseStream => this;

    public override Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public override Status GetStatus() => _status ?? throw new InvalidOperationException("The call has not ended yet.");

    public override Metadata GetTrailers() => _status is null ? throw new InvalidOperationException("The call has not ended yet.") : _context.ResponseTrailers;

    private async Task RunAsync(ServerMethod<TRequest, TResponse> method, IServiceScopeFactory scopes, ILogger logger)
    {
        Status status;
        await using (var scope = scopes.CreateAsyncScope())
        {
            _context.SetServices(scope.ServiceProvider);
            try
            {
                await method.Invoke(new Reader(this), new Writer(this), _context).ConfigureAwait(false);
                status = _context.Status;
            }
            catch (Exception e) when (_cts.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                status = _deadlineTimer?.IsCancellationRequested == true && !_options.CancellationToken.IsCancellationRequested
                    ? new Status(StatusCode.DeadlineExceeded, "Đã quá hạn (deadline exceeded)")
                    : new Status(StatusCode.Cancelled, "Cuộc gọi đã bị hủy (call cancelled)");
            }
            catch (Exception e)
            {
                if (e is RpcException rpc)
                {
                    foreach (var entry in rpc.Trailers)
                    {
                        _context.ResponseTrailers.Add(entry);
                    }
                }

                status = RpcStatusMapper.ToStatus(e, logger, method.FullName);
            }
        }

        _status = status;
        _headers.TrySetResult(new Metadata());
        _responses.Writer.TryComplete();
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        try
        {
            await _requests.Writer.WriteAsync(message.Clone(), cancellationToken.CanBeCanceled ? cancellationToken : _cts.Token).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            if (_status is { } status)
            {
                throw new RpcException(status, _context.ResponseTrailers);
            }
        }
    }

    public Task CompleteAsync()
    {
        _requests.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        try
        {
            if (await _responses.Reader.WaitToReadAsync(cancellationToken.CanBeCanceled ? cancellationToken : _cts.Token).ConfigureAwait(false)
                && _responses.Reader.TryRead(out var response))
            {
                _current = response;
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            await _run.ConfigureAwait(false);
        }

        await _run.ConfigureAwait(false);
        var status = _status!.Value;
        return status.StatusCode == StatusCode.OK ? false : throw new RpcException(status, _context.ResponseTrailers);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _cts.CancelAsync().ConfigureAwait(false);
            _requests.Writer.TryComplete();
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Reported as the status.
            }
        }

        _deadlineTimer?.Dispose();
        _cts.Dispose();
    }

    private sealed class Reader(InProcessCall<TRequest, TResponse> call) : IAsyncStreamReader<TRequest>
    {
        private TRequest? _current;

        public TRequest Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

        public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
        {
            var reader = call._requests.Reader;
            var token = cancellationToken.CanBeCanceled ? cancellationToken : call._cts.Token;
            if (await reader.WaitToReadAsync(token).ConfigureAwait(false) && reader.TryRead(out var message))
            {
                _current = message;
                return true;
            }

            return false;
        }
    }

    private sealed class Writer(InProcessCall<TRequest, TResponse> call) : IServerStreamWriter<TResponse>
    {
        public async Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
        {
            call._headers.TrySetResult(new Metadata());
            await call._responses.Writer.WriteAsync(message.Clone(), cancellationToken.CanBeCanceled ? cancellationToken : call._cts.Token).ConfigureAwait(false);
        }
    }

    private sealed class Context(InProcessCall<TRequest, TResponse> call, string method, ClaimsPrincipal caller, Metadata headers, DateTime deadline)
        : ServerCallContext
    {
        private IServiceProvider? _services;

        public override string Method { get; } = method;

        public override string Peer => "inproc";

        public override DateTime Deadline { get; } = deadline;

        public override Metadata RequestHeaders { get; } = headers;

        public override Metadata ResponseTrailers { get; } = new();

        public override CancellationToken CancellationToken => call._cts.Token;

        public override Status Status { get; set; } = Status.DefaultSuccess;

        public override ClaimsPrincipal User { get; } = caller;

        public override X509Certificate2? ClientCertificate => null;

        public override IServiceProvider Services => _services ?? throw new InvalidOperationException("The call has not started.");

        public override string? ResponseCompression { get; set; }

        public override bool LastRequestCompressed => false;

        public void SetServices(IServiceProvider services) => _services = services;

        public override Task WriteResponseHeadersAsync(Metadata responseHeaders)
        {
            call._headers.TrySetResult(responseHeaders);
            return Task.CompletedTask;
        }
    }
}
