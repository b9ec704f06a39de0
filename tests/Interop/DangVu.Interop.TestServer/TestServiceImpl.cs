using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Grpc.Testing;

namespace DangVu.Interop.TestServer;

/// <summary>
/// gRPC's interop <c>grpc.testing.TestService</c>, as the interop test descriptions specify the
/// server side: sized zero payloads, echoed status and metadata, compression checks, streaming
/// with intervals.
/// </summary>
internal sealed class TestServiceImpl
{
    internal const string EchoInitialKey = "x-grpc-test-echo-initial";
    internal const string EchoTrailingKey = "x-grpc-test-echo-trailing-bin";

    public async Task<Empty> EmptyCall(Empty request, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        return new Empty();
    }

    public async Task<SimpleResponse> UnaryCall(SimpleRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        EnsureCompression(request.ExpectCompressed, context);
        ThrowEchoStatus(request.ResponseStatus);
        context.ResponseCompression = request.ResponseCompressed?.Value == true ? "gzip" : null;
        return new SimpleResponse { Payload = Zeros(request.ResponseSize) };
    }

    // Caching proxies are not part of this setup: the cacheable call answers as UnaryCall does.
    public Task<SimpleResponse> CacheableUnaryCall(SimpleRequest request, ServerCallContext context) =>
        UnaryCall(request, context);

    public async Task StreamingOutputCall(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        await WriteResponsesAsync(request, responses, context).ConfigureAwait(false);
        ThrowEchoStatus(request.ResponseStatus);
    }

    public async Task<StreamingInputCallResponse> StreamingInputCall(
        IAsyncStreamReader<StreamingInputCallRequest> requests, ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        var total = 0;
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            EnsureCompression(requests.Current.ExpectCompressed, context);
            total += requests.Current.Payload?.Body.Length ?? 0;
        }

        return new StreamingInputCallResponse { AggregatedPayloadSize = total };
    }

    public async Task FullDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requests,
        IServerStreamWriter<StreamingOutputCallResponse> responses,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            ThrowEchoStatus(requests.Current.ResponseStatus);
            await WriteResponsesAsync(requests.Current, responses, context).ConfigureAwait(false);
        }
    }

    public async Task HalfDuplexCall(
        IAsyncStreamReader<StreamingOutputCallRequest> requests,
        IServerStreamWriter<StreamingOutputCallResponse> responses,
        ServerCallContext context)
    {
        await EchoMetadataAsync(context).ConfigureAwait(false);
        var buffered = new List<StreamingOutputCallRequest>();
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            buffered.Add(requests.Current);
        }

        foreach (var request in buffered)
        {
            ThrowEchoStatus(request.ResponseStatus);
            await WriteResponsesAsync(request, responses, context).ConfigureAwait(false);
        }
    }

    // Part of TestService so that clients can check how a declared but unimplemented method fails.
    public Task<Empty> UnimplementedCall(Empty request, ServerCallContext context) =>
        throw new RpcException(StatusCode.Unimplemented, "Phương thức UnimplementedCall không được cài đặt (UnimplementedCall is not implemented)");

    private async Task WriteResponsesAsync(
        StreamingOutputCallRequest request, IServerStreamWriter<StreamingOutputCallResponse> responses, ServerCallContext context)
    {
        foreach (var parameters in request.ResponseParameters)
        {
            if (parameters.IntervalUs > 0)
            {
                await Task.Delay(TimeSpan.FromMicroseconds(parameters.IntervalUs), context.CancellationToken).ConfigureAwait(false);
            }

            context.ResponseCompression = parameters.Compressed?.Value == true ? "gzip" : null;
            await responses.WriteAsync(new StreamingOutputCallResponse { Payload = Zeros(parameters.Size) }, context.CancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static void EnsureCompression(BoolValue? expectCompressed, ServerCallContext context)
    {
        if (expectCompressed is null)
        {
            return;
        }

        var compressed = context.LastRequestCompressed;
        if (compressed != expectCompressed.Value)
        {
            throw new RpcException(
                StatusCode.InvalidArgument,
                expectCompressed.Value
                    ? "Yêu cầu lẽ ra phải được nén (expected a compressed request message)"
                    : "Yêu cầu lẽ ra không được nén (expected an uncompressed request message)");
        }
    }

    private static void ThrowEchoStatus(EchoStatus? status)
    {
        if (status is { Code: not 0 })
        {
            throw new RpcException((StatusCode)status.Code, status.Message);
        }
    }

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var initial = context.RequestHeaders.Get(EchoInitialKey);
        if (initial is not null)
        {
            await context.WriteResponseHeadersAsync(new Metadata { initial }).ConfigureAwait(false);
        }

        var trailing = context.RequestHeaders.Get(EchoTrailingKey);
        if (trailing is not null)
        {
            context.ResponseTrailers.Add(trailing);
        }
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };
}
