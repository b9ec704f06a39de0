using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using Google.Protobuf;
using Grpc.Testing;

namespace DangVu.Interop.Tests;

/// <summary>Our client against grpc-js's server: the same cases, the other way round.</summary>
[Collection(GrpcJsServerCollection.Name)]
public sealed class OurClientAgainstGrpcJsTests(GrpcJsServerFixture server) : IDisposable
{
    private GrpcChannel? _channel;

    private bool Ready()
    {
        if (Prerequisites.Skip)
        {
            return false;
        }

        if (server.Problem is not null)
        {
            throw new InvalidOperationException(server.Problem);
        }

        return true;
    }

    private ServiceClient Client(string? compression = null)
    {
        _channel ??= GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}", new GrpcChannelOptions { Compression = compression });
        return new ServiceClient(_channel, TestReflection.Descriptor.Services.First(s => s.Name == "TestService"));
    }

    private static Payload Zeros(int size) => new() { Body = ByteString.CopyFrom(new byte[size]) };

    [Fact]
    public async Task Empty_unary()
    {
        if (!Ready())
        {
            return;
        }

        (await Client().UnaryAsync<Empty, Empty>("EmptyCall", new Empty())).Should().Be(new Empty());
    }

    [Fact]
    public async Task Large_unary_near_4_MiB_both_ways()
    {
        if (!Ready())
        {
            return;
        }

        var size = 4 * 1024 * 1024 - 64;
        var response = await Client().UnaryAsync<SimpleRequest, SimpleResponse>("UnaryCall",
            new SimpleRequest { ResponseSize = size, Payload = Zeros(size) });
        response.Payload.Body.Length.Should().Be(size);
    }

    [Fact]
    public async Task Server_streaming_of_thousands_of_messages()
    {
        if (!Ready())
        {
            return;
        }

        var request = new StreamingOutputCallRequest();
        request.ResponseParameters.AddRange(Enumerable.Range(0, 5000).Select(_ => new ResponseParameters { Size = 64 }));
        var count = 0;
        await foreach (var response in Client().ServerStreamingAsync<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall", request))
        {
            response.Payload.Body.Length.Should().Be(64);
            count++;
        }

        count.Should().Be(5000);
    }

    [Fact]
    public async Task Client_streaming()
    {
        if (!Ready())
        {
            return;
        }

        int[] sizes = [27182, 8, 1828, 45904];
        var response = await Client().ClientStreamingAsync<StreamingInputCallRequest, StreamingInputCallResponse>("StreamingInputCall",
            sizes.Select(s => new StreamingInputCallRequest { Payload = Zeros(s) }));
        response.AggregatedPayloadSize.Should().Be(74922);
    }

    [Fact]
    public async Task Bidi_ping_pong()
    {
        if (!Ready())
        {
            return;
        }

        int[] requestSizes = [27182, 8, 1828, 45904];
        int[] responseSizes = [31415, 9, 2653, 58979];
        await using var call = Client().Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall",
            CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)));
        for (var i = 0; i < 4; i++)
        {
            await call.RequestStream.WriteAsync(new StreamingOutputCallRequest
            {
                ResponseParameters = { new ResponseParameters { Size = responseSizes[i] } },
                Payload = Zeros(requestSizes[i]),
            });
            (await call.ResponseStream.MoveNext()).Should().BeTrue();
            call.ResponseStream.Current.Payload.Body.Length.Should().Be(responseSizes[i]);
        }

        await call.RequestStream.CompleteAsync();
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
    }

    [Fact]
    public async Task Status_code_and_vietnamese_message_round_trip()
    {
        if (!Ready())
        {
            return;
        }

        const string message = "Không tìm thấy đảng viên 'Nguyễn Văn Ấn' (member not found) ☺ 😈\t\n";
        var act = () => Client().UnaryAsync<SimpleRequest, SimpleResponse>("UnaryCall",
            new SimpleRequest { ResponseStatus = new EchoStatus { Code = 5, Message = message } });
        var error = (await act.Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(StatusCode.NotFound);
        error.Status.Detail.Should().Be(message);
    }

    [Fact]
    public async Task Custom_and_binary_metadata_are_echoed()
    {
        if (!Ready())
        {
            return;
        }

        byte[] trailing = [0xab, 0xab, 0xab, 0, 0xff, .. System.Text.Encoding.UTF8.GetBytes("Đảng vụ")];
        var headers = new Metadata().Add("x-grpc-test-echo-initial", "test_initial_metadata_value").Add("x-grpc-test-echo-trailing-bin", trailing);
        await using var call = Client().Start<SimpleRequest, SimpleResponse>("UnaryCall", new CallOptions { Headers = headers });
        await call.RequestStream.WriteAsync(new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) });
        await call.RequestStream.CompleteAsync();
        (await call.ResponseHeadersAsync).GetValue("x-grpc-test-echo-initial").Should().Be("test_initial_metadata_value");
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
        call.GetTrailers().GetValueBytes("x-grpc-test-echo-trailing-bin").Should().Equal(trailing);
    }

    [Fact]
    public async Task Deadline_exceeded_on_a_slow_method()
    {
        if (!Ready())
        {
            return;
        }

        var request = new StreamingOutputCallRequest { ResponseParameters = { new ResponseParameters { Size = 1, IntervalUs = 2_000_000 } } };
        var started = DateTime.UtcNow;
        var act = async () =>
        {
            await foreach (var _ in Client().ServerStreamingAsync<StreamingOutputCallRequest, StreamingOutputCallResponse>("StreamingOutputCall",
                request, CallOptions.Default.WithTimeout(TimeSpan.FromMilliseconds(300))))
            {
            }
        };
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromMilliseconds(1500));
    }

    [Fact]
    public async Task Cancel_after_first_response()
    {
        if (!Ready())
        {
            return;
        }

        using var cts = new CancellationTokenSource();
        await using var call = Client().Start<StreamingOutputCallRequest, StreamingOutputCallResponse>("FullDuplexCall",
            new CallOptions { CancellationToken = cts.Token });
        await call.RequestStream.WriteAsync(new StreamingOutputCallRequest { ResponseParameters = { new ResponseParameters { Size = 31415 } }, Payload = Zeros(27182) });
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        await cts.CancelAsync();
        var act = () => call.ResponseStream.MoveNext();
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Cancelled);
    }

    // grpc-js hides grpc-encoding from its handlers, so its server cannot check expect_compressed
    // (it fails its own client_compressed_unary); that we really compress is proven by
    // DangVu.Rpc.Tests (the server reports the request compressed) and by grpcio/grpc-js against us.
    [Fact]
    public async Task Gzip_requests_are_accepted_by_grpc_js()
    {
        if (!Ready())
        {
            return;
        }

        using var gzip = GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}", new GrpcChannelOptions { Compression = "gzip" });
        var client = new ServiceClient(gzip, TestReflection.Descriptor.Services.First(s => s.Name == "TestService"));
        var response = await client.UnaryAsync<SimpleRequest, SimpleResponse>("UnaryCall",
            new SimpleRequest { ResponseSize = 314159, Payload = Zeros(271828) });
        response.Payload.Body.Length.Should().Be(314159);
    }

    [Fact]
    public async Task Unimplemented_method_and_service()
    {
        if (!Ready())
        {
            return;
        }

        var method = () => Client().UnaryAsync<Empty, Empty>("UnimplementedCall", new Empty());
        (await method.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
        _channel ??= GrpcChannel.ForAddress($"http://127.0.0.1:{server.Port}");
        var service = () => _channel.UnaryAsync(new Method<Empty, Empty>(MethodType.Unary, "grpc.testing.UnimplementedService", "UnimplementedCall"), new Empty());
        (await service.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
    }

    [Fact]
    public async Task Oversize_response_is_resource_exhausted_at_our_client()
    {
        if (!Ready())
        {
            return;
        }

        var act = () => Client().UnaryAsync<SimpleRequest, SimpleResponse>("UnaryCall", new SimpleRequest { ResponseSize = 4 * 1024 * 1024 + 1 });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    public void Dispose() => _channel?.Dispose();
}
