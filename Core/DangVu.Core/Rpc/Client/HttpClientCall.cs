using System.IO.Pipelines;
using System.Net;
using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;

namespace DangVu.Core.Rpc.Client;

/// <summary>One call over HTTP/2: a streamed request body, a streamed response, status from the trailers.</summary>
internal sealed class HttpClientCall<TRequest, TResponse> : RpcCall<TRequest, TResponse>, IClientStreamWriter<TRequest>, IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private static readonly MessageParser<TResponse> Parser = GrpcProtocol.ParserOf<TResponse>();

    private readonly GrpcChannel _channel;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenSource? _deadlineTimer;
    private readonly Pipe _requestBody = new(new PipeOptions(pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, useSynchronizationContext: false));
    private readonly Task<HttpResponseMessage> _send;
    private readonly bool _compress;
    private readonly Lazy<Task<Metadata>> _headers;
    private HttpResponseMessage? _response;
    private PipeReader? _responseReader;
    private bool _responseGzip;
    private Status? _status;
    private Metadata? _trailers;
    private TResponse? _current;
    private bool _requestCompleted;

    public HttpClientCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _options = options;
        var compression = options.Compression ?? channel.Options.Compression;
        _compress = compression == GrpcProtocol.Gzip;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken);
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var left = deadline - DateTime.UtcNow;
            _deadlineTimer = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            _deadlineTimer.Token.Register(static state => ((CancellationTokenSource)state!).Cancel(), _cts);
        }

        var request = channel.CreateRequest(method.FullName, options, new RequestContent(_requestBody.Reader), _compress ? GrpcProtocol.Gzip : null);
        _send = SendAsync(request);
        _headers = new Lazy<Task<Metadata>>(ReadHeadersAsync);
    }

    public override IClientStreamWriter<TRequest> RequestStream => this;

    public override IAsyncStreamReader<TResponse> ResponseStream => this;

    public override Task<Metadata> ResponseHeadersAsync => _headers.Value;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true.");

    public override Status GetStatus() => _status ?? throw new InvalidOperationException("The call has not ended yet.");

    public override Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("The call has not ended yet.");

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        await Task.Yield();
        try
        {
            return await _channel.Http.SendAsync(request, _cts.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Translate(e);
        }
    }

    // ---- request stream ----

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        if (_requestCompleted)
        {
            throw new InvalidOperationException("The request stream has been completed.");
        }

        if (_status is { } ended)
        {
            throw new RpcException(ended, _trailers);
        }

        GrpcProtocol.WriteMessage(_requestBody.Writer, message, _compress, _channel.Options.MaxSendMessageSize);
        FlushResult flushed;
        try
        {
            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token)
                : null;
            flushed = await _requestBody.Writer.FlushAsync(linked?.Token ?? _cts.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            throw Translate(e);
        }

        if (flushed.IsCompleted && _status is { } status)
        {
            throw new RpcException(status, _trailers);
        }
    }

    public Task CompleteAsync()
    {
        if (!_requestCompleted)
        {
            _requestCompleted = true;
            _requestBody.Writer.Complete();
        }

        return Task.CompletedTask;
    }

    // ---- response ----

    private async Task<HttpResponseMessage> ResponseAsync()
    {
        if (_response is not null)
        {
            return _response;
        }

        var response = await _send.ConfigureAwait(false);
        _response = response;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = response.Headers.TryGetValues(GrpcProtocol.StatusHeader, out _)
                ? StatusFrom(response.Headers)
                : new Status(GrpcProtocol.FromHttpStatus((int)response.StatusCode), $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            Finish(status, new Metadata());
            return response;
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (response.Headers.TryGetValues(GrpcProtocol.StatusHeader, out _))
        {
            // Trailers-only.
            Finish(StatusFrom(response.Headers), MetadataFrom(response.Headers));
            return response;
        }

        if (!GrpcProtocol.IsGrpcContentType(response.Content.Headers.ContentType?.ToString()))
        {
            Finish(new Status(StatusCode.Unknown, $"Kiểu nội dung trả về không phải gRPC (response content-type '{contentType}' is not gRPC)"), new Metadata());
            return response;
        }

        if (response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings))
        {
            var encoding = encodings.FirstOrDefault();
            if (!GrpcProtocol.IsSupportedEncoding(encoding))
            {
                Finish(new Status(StatusCode.Internal, $"Máy chủ dùng mã hóa không hỗ trợ '{encoding}' (unsupported response grpc-encoding '{encoding}')"), new Metadata());
                return response;
            }

            _responseGzip = encoding == GrpcProtocol.Gzip;
        }

        return response;
    }

    private async Task<Metadata> ReadHeadersAsync()
    {
        var response = await ResponseAsync().ConfigureAwait(false);
        return MetadataFrom(response.Headers);
    }

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        if (_status is { } done)
        {
            return done.StatusCode == StatusCode.OK ? false : throw new RpcException(done, _trailers);
        }

        try
        {
            var response = await ResponseAsync().ConfigureAwait(false);
            if (_status is { } early)
            {
                return early.StatusCode == StatusCode.OK ? false : throw new RpcException(early, _trailers);
            }

            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _cts.Token)
                : null;
            var token = linked?.Token ?? _cts.Token;
            _responseReader ??= PipeReader.Create(await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false));
            while (true)
            {
                var result = await _responseReader.ReadAsync(token).ConfigureAwait(false);
                var buffer = result.Buffer;
                if (GrpcProtocol.TryReadMessage(ref buffer, _channel.Options.MaxReceiveMessageSize, _responseGzip, out var payload, out var compressed))
                {
                    _current = GrpcProtocol.Parse(Parser, payload, compressed, _channel.Options.MaxReceiveMessageSize);
                    _responseReader.AdvanceTo(buffer.Start);
                    return true;
                }

                if (result.IsCompleted)
                {
                    _responseReader.AdvanceTo(buffer.End);
                    if (buffer.Length > 0)
                    {
                        throw new RpcException(StatusCode.Internal, "Phản hồi bị cắt cụt (incomplete response message)");
                    }

                    var trailers = response.TrailingHeaders;
                    var status = trailers.TryGetValues(GrpcProtocol.StatusHeader, out _)
                        ? StatusFrom(trailers)
                        : new Status(StatusCode.Internal, "Thiếu grpc-status trong phản hồi (no grpc-status in the response trailers)");
                    Finish(status, MetadataFrom(trailers));
                    return status.StatusCode == StatusCode.OK ? false : throw new RpcException(status, _trailers);
                }

                _responseReader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (RpcException e)
        {
            if (_status is null)
            {
                Finish(e.Status, e.Trailers);
                await _cts.CancelAsync().ConfigureAwait(false);
            }

            throw;
        }
        catch (Exception e)
        {
            var translated = Translate(e);
            Finish(translated.Status, translated.Trailers);
            throw translated;
        }
    }

    private void Finish(Status status, Metadata trailers)
    {
        _status ??= status;
        _trailers ??= trailers;
        _requestBody.Writer.CancelPendingFlush();
    }

    private RpcException Translate(Exception e)
    {
        if (e is RpcException rpc)
        {
            return rpc;
        }

        if (_deadlineTimer?.IsCancellationRequested == true && !_options.CancellationToken.IsCancellationRequested)
        {
            return new RpcException(StatusCode.DeadlineExceeded, "Đã quá hạn (deadline exceeded)");
        }

        if (_options.CancellationToken.IsCancellationRequested || e is OperationCanceledException)
        {
            return new RpcException(StatusCode.Cancelled, "Cuộc gọi đã bị hủy (call cancelled)");
        }

        var protocol = e as HttpProtocolException ?? e.InnerException as HttpProtocolException;
        if (protocol is not null)
        {
            return protocol.ErrorCode switch
            {
                0x7 => new RpcException(StatusCode.Unavailable, "Máy chủ từ chối luồng (stream refused): " + protocol.Message),
                0x8 => new RpcException(StatusCode.Cancelled, "Máy chủ đã hủy luồng (stream cancelled by the server)"),
                0xb => new RpcException(StatusCode.ResourceExhausted, protocol.Message),
                0xc => new RpcException(StatusCode.PermissionDenied, protocol.Message),
                _ => new RpcException(StatusCode.Internal, "Lỗi HTTP/2 (HTTP/2 error): " + protocol.Message),
            };
        }

        return new RpcException(StatusCode.Unavailable, "Không kết nối được máy chủ (server unavailable): " + e.Message);
    }

    private static Status StatusFrom(System.Net.Http.Headers.HttpHeaders headers)
    {
        var code = headers.TryGetValues(GrpcProtocol.StatusHeader, out var codes)
            && int.TryParse(codes.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? (StatusCode)parsed
            : StatusCode.Unknown;
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? messages.FirstOrDefault() : null;
        return new Status(code, GrpcProtocol.DecodeMessage(message));
    }

    private static Metadata MetadataFrom(System.Net.Http.Headers.HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                GrpcProtocol.AddHeader(metadata, header.Key, value);
            }
        }

        return metadata;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_status is null)
        {
            Finish(new Status(StatusCode.Cancelled, "Cuộc gọi đã bị hủy (call cancelled)"), new Metadata());
            await _cts.CancelAsync().ConfigureAwait(false);
        }

        _requestBody.Writer.Complete();
        try
        {
            (await _send.ConfigureAwait(false)).Dispose();
        }
        catch (Exception)
        {
            // The failure, if any, was reported through the response stream.
        }

        _deadlineTimer?.Dispose();
        _cts.Dispose();
    }

    /// <summary>The request body: whatever the request stream writes, flushed as it comes.</summary>
    private sealed class RequestContent(PipeReader reader) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var segment in result.Buffer)
                    {
                        await stream.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
                    }

                    if (!result.Buffer.IsEmpty)
                    {
                        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                    }

                    reader.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
