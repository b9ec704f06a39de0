using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Rpc.Server;

/// <summary>One gRPC call served over HTTP/2: the context a handler sees, and the wire underneath.</summary>
internal sealed class HttpServerCallContext : ServerCallContext, IDisposable, IThreadPoolWorkItem
{
    // A stream's flushes are coalesced: a written message is flushed by a thread-pool item that runs
    // when the writing thread yields (or sooner on an idle thread), so a burst costs one flush and a
    // lone message is not held back. Past this many unflushed bytes the writer flushes and waits.
    private const int MaxUnflushedBytes = 32 * 1024;

    // Only a call that streams responses queues flushes that can race its end: only it needs the lock.
    private readonly object? _flushSync;
    private FrameBatch? _batch;
    private bool _flushQueued;
    private int _unflushedBytes;
    private Task _pendingFlush = Task.CompletedTask;
    private readonly HttpContext _http;
    private readonly GrpcTransportOptions _options;
    private Metadata? _trailers;
    private CallDeadline? _deadlineState;
    private Metadata? _requestHeaders;
    private ClaimsPrincipal? _user;
    private bool _requestCompressed;
    private bool _clientAcceptsGzip;
    private bool _headersWritten;
    private bool _responseGzip;
    private bool _completed;

    public HttpServerCallContext(HttpContext http, GrpcTransportOptions options, string method, ILogger logger, bool streamsResponses)
    {
        _flushSync = streamsResponses ? new object() : null;
        _http = http;
        _options = options;
        Method = method;
        Logger = logger;
    }

    public ILogger Logger { get; }

    /// <summary>A server-streaming or bidi call: its messages are flushed as they go, coalesced.</summary>
    public bool StreamsResponses => _flushSync is not null;

    public override string Method { get; }

    public override string Peer
    {
        get
        {
            var connection = _http.Connection;
            var address = connection.RemoteIpAddress;
            if (address is null)
            {
                return "unknown";
            }

            return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"ipv6:[{address}]:{connection.RemotePort}"
                : $"ipv4:{address}:{connection.RemotePort}";
        }
    }

    public override DateTime Deadline => _deadlineState?.At ?? DateTime.MaxValue;

    public override Metadata RequestHeaders
    {
        get
        {
            if (_requestHeaders is null)
            {
                var metadata = new Metadata();
                foreach (var header in _http.Request.Headers)
                {
                    GrpcProtocol.AddHeader(metadata, header.Key, header.Value);
                }

                _requestHeaders = metadata;
            }

            return _requestHeaders;
        }
    }

    public override Metadata ResponseTrailers => _trailers ??= new Metadata();

    public override CancellationToken CancellationToken => _deadlineState?.Token ?? Aborted;

    // Kestrel's getter takes a lock: read once per call.
    private CancellationToken Aborted => _aborted ??= _http.RequestAborted;

    public override Status Status { get; set; } = Status.DefaultSuccess;

    public override ClaimsPrincipal User => _user ??= CallerIdentity.From(_http.User, ClientCertificate);

    public override X509Certificate2? ClientCertificate => _http.Connection.ClientCertificate;

    public override IServiceProvider Services => _http.RequestServices;

    public override string? ResponseCompression { get; set; }

    public override bool LastRequestCompressed => _requestCompressed;

    public bool HasDeadline => _deadlineState is not null;

    public Task DeadlineReached => _deadlineState?.Reached.Task ?? Task.CompletedTask;

    public bool DeadlineExceeded => _deadlineState?.Exceeded == true;

    /// <summary>Reads the call's protocol headers; a status when the call cannot go on.</summary>
    public Status? Start()
    {
        var headers = _http.Request.Headers;
        var encoding = headers.GrpcEncoding.ToString();
        if (!GrpcProtocol.IsSupportedEncoding(encoding))
        {
            return new Status(StatusCode.Unimplemented,
                $"Không hỗ trợ mã hóa '{encoding}' (unsupported grpc-encoding '{encoding}'; supported: {GrpcProtocol.SupportedEncodings})");
        }

        _requestCompressed = false;
        _requestGzip = encoding == GrpcProtocol.Gzip;
        _clientAcceptsGzip = GrpcProtocol.AcceptsGzip(headers.GrpcAcceptEncoding.ToString());
        if (_options.CompressResponses && _clientAcceptsGzip)
        {
            ResponseCompression = GrpcProtocol.Gzip;
        }

        var timeoutHeader = headers.GrpcTimeout.ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcProtocol.TryParseTimeout(timeoutHeader, out var timeout))
            {
                return new Status(StatusCode.Internal, $"grpc-timeout không hợp lệ (invalid grpc-timeout '{timeoutHeader}')");
            }

            _deadlineState = new CallDeadline(timeout, Aborted);
        }

        return null;
    }

    private bool _requestGzip;
    private bool _requestEnded;
    private CancellationToken? _aborted;
    private PipeWriter? _bodyWriter;

    public CancellationToken CallToken => CancellationToken;

    public override Task WriteResponseHeadersAsync(Metadata responseHeaders) => WriteHeadersCoreAsync(responseHeaders);

    private async Task WriteHeadersCoreAsync(Metadata responseHeaders)
    {
        var writeLock = _deadlineState?.WriteLock;
        if (writeLock is not null)
        {
            await writeLock.WaitAsync(CallToken).ConfigureAwait(false);
        }

        try
        {
            ThrowIfCompleted();
            if (_headersWritten)
            {
                throw new InvalidOperationException("Response headers have already been sent.");
            }

            foreach (var entry in responseHeaders)
            {
                _http.Response.Headers.Append(entry.Key, GrpcProtocol.EncodeValue(entry));
            }

            PrepareHeaders();
            await _http.Response.StartAsync(CallToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock?.Release();
        }
    }

    private void PrepareHeaders()
    {
        if (_headersWritten)
        {
            return;
        }

        _headersWritten = true;
        var response = _http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        _responseGzip = _clientAcceptsGzip && ResponseCompression == GrpcProtocol.Gzip;
        if (_responseGzip)
        {
            response.Headers.GrpcEncoding = GrpcProtocol.Gzip;
        }

        response.Headers.GrpcAcceptEncoding = GrpcProtocol.SupportedEncodings;
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw DeadlineExceeded
                ? new RpcException(StatusCode.DeadlineExceeded, "Đã quá hạn (deadline exceeded)")
                : new RpcException(StatusCode.Cancelled, "Cuộc gọi đã kết thúc (the call has ended)");
        }
    }

    /// <summary>
    /// The request of a unary call when the body has already arrived whole: exactly one message,
    /// then its end. False, nothing consumed, when the body is still coming or is not exactly one
    /// message: <see cref="ReadMessageAsync"/> then reads it, with its errors.
    /// </summary>
    public bool TryReadWholeRequest<T>(MessageParser<T> parser, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        var reader = _http.Request.BodyReader;
        if (!reader.TryRead(out var result))
        {
            return false;
        }

        var buffer = result.Buffer;
        try
        {
            if (!result.IsCompleted
                || !GrpcProtocol.TryReadMessage(ref buffer, _options.MaxReceiveMessageSize, _requestGzip, out var payload, out var compressed)
                || !buffer.IsEmpty)
            {
                reader.AdvanceTo(result.Buffer.Start);
                return false;
            }

            message = GrpcProtocol.Parse(parser, payload, compressed, _options.MaxReceiveMessageSize);
            _requestCompressed = compressed;
            _requestEnded = true;
        }
        catch
        {
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            throw;
        }

        reader.AdvanceTo(result.Buffer.End);
        return true;
    }

    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        if (_requestEnded)
        {
            return null;
        }

        var reader = _http.Request.BodyReader;
        // Kestrel ends a pending body read itself when the stream is reset: only other tokens are
        // passed, since a token costs the pipe a registration on every read.
        var token = cancellationToken.CanBeCanceled ? cancellationToken : CallToken;
        if (token == Aborted)
        {
            token = default;
        }

        while (true)
        {
            var result = await reader.ReadAsync(token).ConfigureAwait(false);
            var buffer = result.Buffer;
            T? message;
            try
            {
                if (GrpcProtocol.TryReadMessage(ref buffer, _options.MaxReceiveMessageSize, _requestGzip, out var payload, out var compressed))
                {
                    message = GrpcProtocol.Parse(parser, payload, compressed, _options.MaxReceiveMessageSize);
                    _requestCompressed = compressed;

                    // The body ended with this message (a unary request, mostly): the next read needs no pipe round trip.
                    _requestEnded = result.IsCompleted && buffer.IsEmpty;
                    reader.AdvanceTo(buffer.Start);
                    return message;
                }
            }
            catch
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }

            if (result.IsCompleted)
            {
                reader.AdvanceTo(buffer.End);
                if (buffer.Length > 0)
                {
                    throw new RpcException(StatusCode.Internal, "Thông điệp bị cắt cụt (incomplete message: the request ended inside a message)");
                }

                return null;
            }

            if (result.IsCanceled)
            {
                throw new OperationCanceledException(token);
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Writes one response message; <paramref name="flush"/> false for the only message of a call,
    /// which leaves with the trailers.
    /// </summary>
    public Task WriteMessageAsync<T>(T message, bool flush, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        if (_deadlineState is not null)
        {
            return WriteLockedAsync(message, flush, cancellationToken);
        }

        // Without a deadline only the handler writes, and the status is sent after it returns.
        cancellationToken.ThrowIfCancellationRequested();
        if (!flush)
        {
            WriteSingleMessage(message);
            return Task.CompletedTask;
        }

        ThrowIfCompleted();

        return _pendingFlush.IsCompleted ? WriteCoalesced(message) : WriteAfterFlushAsync(message);
    }

    /// <summary>The only response message of a call without a deadline, unflushed: it leaves with the trailers.</summary>
    public void WriteSingleMessage<T>(T message)
        where T : class, IMessage<T>
    {
        System.Diagnostics.Debug.Assert(_deadlineState is null, "A call with a deadline writes under its lock.");
        ThrowIfCompleted();
        WriteFrame(message, BodyWriter);
    }

    private async Task WriteAfterFlushAsync<T>(T message)
        where T : class, IMessage<T>
    {
        await _pendingFlush.ConfigureAwait(false);
        await WriteCoalesced(message).ConfigureAwait(false);
    }

    private Task WriteCoalesced<T>(T message)
        where T : class, IMessage<T>
    {
        lock (_flushSync!)
        {
            ThrowIfCompleted();
            _unflushedBytes += WriteFrame(message, _batch ??= new FrameBatch());
            if (_unflushedBytes >= MaxUnflushedBytes)
            {
                return FlushLocked();
            }

            if (!_flushQueued)
            {
                _flushQueued = true;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>The queued flush of a stream's written messages.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        lock (_flushSync!)
        {
            _flushQueued = false;
            if (!_completed && _unflushedBytes > 0)
            {
                try
                {
                    _ = FlushLocked();
                }
                catch (Exception e)
                {
                    // Seen by the handler's next write, or ignored by the status once the client is gone.
                    _pendingFlush = Task.FromException(e);
                }
            }
        }
    }

    // Under _flushSync. A flush never starts while another is pending: it follows it.
    private Task FlushLocked()
    {
        _unflushedBytes = 0;
        if (!_pendingFlush.IsCompleted)
        {
            _pendingFlush = FlushAfterAsync(_pendingFlush);
            return _pendingFlush;
        }

        _batch?.MoveTo(BodyWriter);
        var flush = BodyWriter.FlushAsync(CancellationToken.None);
        if (flush.IsCompletedSuccessfully)
        {
            return Task.CompletedTask;
        }

        _pendingFlush = flush.AsTask();
        return _pendingFlush;
    }

    private async Task FlushAfterAsync(Task previous)
    {
        await previous.ConfigureAwait(false);
        Task next;
        lock (_flushSync!)
        {
            if (_completed)
            {
                return;
            }

            _batch?.MoveTo(BodyWriter);
            next = BodyWriter.FlushAsync(CancellationToken.None).AsTask();
        }

        await next.ConfigureAwait(false);
    }

    private async Task WriteLockedAsync<T>(T message, bool flush, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        await _deadlineState!.WriteLock.WaitAsync(CallToken).ConfigureAwait(false);
        try
        {
            ThrowIfCompleted();
            WriteFrame(message, BodyWriter);
            if (flush)
            {
                // Kestrel ends a pending flush itself when the stream is reset; only other tokens need passing.
                var token = cancellationToken.CanBeCanceled ? cancellationToken : CallToken;
                await BodyWriter.FlushAsync(token == Aborted ? CancellationToken.None : token).ConfigureAwait(false);
            }
        }
        finally
        {
            _deadlineState.WriteLock.Release();
        }
    }

    private PipeWriter BodyWriter => _bodyWriter ??= _http.Response.BodyWriter;

    /// <summary>Writes the message's frame, unflushed, into the response body or a stream's batch; its size.</summary>
    private int WriteFrame<T>(T message, IBufferWriter<byte> writer)
        where T : class, IMessage<T>
    {
        PrepareHeaders();
        var compress = _responseGzip && ResponseCompression == GrpcProtocol.Gzip;
        return GrpcProtocol.WriteMessage(writer, message, compress, _options.MaxSendMessageSize);
    }

    /// <summary>
    /// A stream's written, unflushed frames in a pooled buffer: one copy into Kestrel's response
    /// pipe per flush instead of a pipe write (two of its locks) per message.
    /// </summary>
    private sealed class FrameBatch : IBufferWriter<byte>
    {
        private byte[] _buffer = [];
        private int _length;

        public void Advance(int count) => _length += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _buffer.AsMemory(_length);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Reserve(sizeHint);
            return _buffer.AsSpan(_length);
        }

        public void MoveTo(PipeWriter writer)
        {
            if (_length > 0)
            {
                writer.Write(_buffer.AsSpan(0, _length));
                _length = 0;
            }
        }

        public void Return()
        {
            if (_buffer.Length > 0)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
            }

            _buffer = [];
            _length = 0;
        }

        private void Reserve(int sizeHint)
        {
            var needed = _length + Math.Max(sizeHint, 256);
            if (needed > _buffer.Length)
            {
                var bigger = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(4096, _buffer.Length * 2)));
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                if (_buffer.Length > 0)
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(_buffer);
                }

                _buffer = bigger;
            }
        }
    }

    /// <summary>Sends the status (trailers, or a trailers-only response when nothing was sent yet).</summary>
    public Task EndAsync(Status status, bool complete)
    {
        // A call without a deadline and without a flush in flight (every unary call) ends synchronously.
        if (_deadlineState is not null || !_pendingFlush.IsCompletedSuccessfully)
        {
            return EndAfterWritesAsync(status, complete);
        }

        if (!MarkCompleted())
        {
            return Task.CompletedTask;
        }

        return WriteStatus(status) && complete ? _http.Response.CompleteAsync() : Task.CompletedTask;
    }

    private async Task EndAfterWritesAsync(Status status, bool complete)
    {
        var writeLock = _deadlineState?.WriteLock;
        if (writeLock is not null)
        {
            await writeLock.WaitAsync().ConfigureAwait(false);
        }

        try
        {
            if (!MarkCompleted())
            {
                return;
            }

            try
            {
                // Kestrel finishes the response after the handler: no flush of ours may still run then.
                await _pendingFlush.ConfigureAwait(false);
            }
            catch (Exception) when (Aborted.IsCancellationRequested)
            {
                return;
            }

            if (WriteStatus(status) && complete)
            {
                await _http.Response.CompleteAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            writeLock?.Release();
        }
    }

    /// <summary>
    /// The status and trailers into the response: its trailers, or its headers for a trailers-only
    /// response (false when the response has ended already). For a stream the client reset,
    /// Kestrel sends none of it.
    /// </summary>
    private bool WriteStatus(Status status)
    {
        var response = _http.Response;
        if (!_headersWritten && !response.HasStarted)
        {
            // Trailers-only (nothing written, not even an unflushed message): the status travels in the only HEADERS frame.
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = GrpcProtocol.ContentType;
            response.Headers.Remove(GrpcProtocol.EncodingHeader);
            response.Headers.GrpcStatus = GrpcProtocol.FormatStatus(status.StatusCode);
            if (!string.IsNullOrEmpty(status.Detail))
            {
                response.Headers.GrpcMessage = GrpcProtocol.EncodeMessage(status.Detail);
            }

            foreach (var entry in _trailers ?? Empty)
            {
                response.Headers.Append(entry.Key, GrpcProtocol.EncodeValue(entry));
            }

            return true;
        }

        var trailers = _http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (trailers is null || trailers.IsReadOnly)
        {
            return false;
        }

        trailers.GrpcStatus = GrpcProtocol.FormatStatus(status.StatusCode);
        if (!string.IsNullOrEmpty(status.Detail))
        {
            trailers.GrpcMessage = GrpcProtocol.EncodeMessage(status.Detail);
        }

        foreach (var entry in _trailers ?? Empty)
        {
            trailers.Append(entry.Key, GrpcProtocol.EncodeValue(entry));
        }

        return true;
    }

    public void AddTrailers(Metadata trailers)
    {
        foreach (var entry in trailers)
        {
            ResponseTrailers.Add(entry);
        }
    }

    private static readonly Metadata Empty = new();

    /// <summary>
    /// Ends writing (a queued flush then does nothing), the batch moved into the response for Kestrel
    /// to send with the trailers; false when it had ended already.
    /// </summary>
    private bool MarkCompleted()
    {
        if (_flushSync is null)
        {
            // One response at most, written by the handler (or under the deadline's lock): nothing to race.
            var first = !_completed;
            _completed = true;
            return first;
        }

        lock (_flushSync)
        {
            if (_completed)
            {
                return false;
            }

            _completed = true;
            if (_batch is not null && !Aborted.IsCancellationRequested)
            {
                _batch.MoveTo(BodyWriter);
            }

            return true;
        }
    }

    public void Dispose()
    {
        // The HttpContext is reused after the call: a queued flush must not touch it.
        if (_flushSync is null)
        {
            _completed = true;
        }
        else
        {
            lock (_flushSync)
            {
                _completed = true;
                _batch?.Return();
            }
        }

        _deadlineState?.Dispose();
    }

    /// <summary>
    /// A grpc-timeout: when it passes, the handler's token is cancelled and the call ends with
    /// DEADLINE_EXCEEDED. Only calls that carry one pay for it.
    /// </summary>
    private sealed class CallDeadline : IDisposable
    {
        private readonly CancellationTokenSource _linked;
        private readonly CancellationTokenSource _timer = new();
        private volatile bool _exceeded;

        public CallDeadline(TimeSpan timeout, CancellationToken aborted)
        {
            At = DateTime.UtcNow + timeout;
            _linked = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            Token = _linked.Token;
            _timer.Token.Register(static state =>
            {
                var self = (CallDeadline)state!;
                self._exceeded = true;
                self.Reached.TrySetResult();
                try
                {
                    self._linked.Cancel();
                }
                catch (ObjectDisposedException)
                {
                }
            }, this);
            _timer.CancelAfter(timeout > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : timeout);
        }

        public DateTime At { get; }

        public CancellationToken Token { get; }

        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Exceeded => _exceeded;

        /// <summary>A call with a deadline has a second writer (the deadline's status): only then a lock.</summary>
        public SemaphoreSlim WriteLock { get; } = new(1, 1);

        public void Dispose()
        {
            WriteLock.Dispose();
            _timer.Dispose();
            _linked.Dispose();
        }
    }
}

/// <summary>The caller as a handler sees it: the authenticated user, or else the client certificate.</summary>
internal static class CallerIdentity
{
    public const string CertificateAuthenticationType = "ClientCertificate";
    public const string ThumbprintClaim = "dangvu:certificate-thumbprint";

    public static ClaimsPrincipal From(ClaimsPrincipal? user, X509Certificate2? certificate)
    {
        if (user?.Identity?.IsAuthenticated == true || certificate is null)
        {
            return user ?? new ClaimsPrincipal(new ClaimsIdentity());
        }

        var identity = new ClaimsIdentity(CertificateAuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, certificate.GetNameInfo(X509NameType.SimpleName, false)));
        identity.AddClaim(new Claim(ClaimTypes.X500DistinguishedName, certificate.Subject));
        identity.AddClaim(new Claim(ThumbprintClaim, certificate.Thumbprint));
        return new ClaimsPrincipal(identity);
    }
}
