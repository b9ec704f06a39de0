using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Rpc.Tests.Proto;
using Google.Protobuf;

namespace DangVu.Rpc.Tests;

/// <summary>Our client against our server over h2c.</summary>
[Collection(TestServerCollection.Name)]
public sealed class ClientTests(TestServer server) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

    private ServiceClient Client => new(_channel, EchoReflection.Descriptor.Services[0]);

    [Fact]
    public async Task Unary_call_round_trips_a_message()
    {
        var reply = await Client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Text = "Chào đồng chí" });
        reply.Text.Should().Be("Chào đồng chí");
    }

    [Fact]
    public async Task Empty_message_round_trips()
    {
        var reply = await Client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest());
        reply.Should().Be(new EchoReply());
    }

    [Fact]
    public async Task Large_messages_near_the_limit_round_trip()
    {
        var size = 4 * 1024 * 1024 - 64;
        var reply = await Client.UnaryAsync<EchoRequest, EchoReply>("Unary",
            new EchoRequest { Payload = ByteString.CopyFrom(new byte[size]), ResponseSize = size });
        reply.Payload.Length.Should().Be(size);
    }

    [Fact]
    public async Task Server_streaming_delivers_thousands_of_messages_in_order()
    {
        var indexes = new List<int>();
        await foreach (var reply in Client.ServerStreamingAsync<EchoRequest, EchoReply>("ServerStream", new EchoRequest { Count = 5000, Text = "s" }))
        {
            indexes.Add(reply.Index);
        }

        indexes.Should().Equal(Enumerable.Range(0, 5000));
    }

    [Fact]
    public async Task Client_streaming_aggregates_every_request()
    {
        var requests = Enumerable.Range(0, 100).Select(i => new EchoRequest { Text = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Payload = ByteString.CopyFrom(new byte[i]) });
        var reply = await Client.ClientStreamingAsync<EchoRequest, EchoReply>("ClientStream", requests);
        reply.Index.Should().Be(Enumerable.Range(0, 100).Sum());
        reply.Text.Split(',').Should().HaveCount(100);
    }

    [Fact]
    public async Task Client_stream_may_carry_more_than_kestrels_default_30_MB_body_limit()
    {
        var chunk = ByteString.CopyFrom(new byte[1024 * 1024]);
        var reply = await Client.ClientStreamingAsync<EchoRequest, EchoReply>("ClientStream",
            Enumerable.Range(0, 40).Select(_ => new EchoRequest { Payload = chunk }));
        reply.Index.Should().Be(40 * 1024 * 1024);
    }

    [Fact]
    public async Task Bidi_streaming_answers_each_request_before_the_next_is_sent()
    {
        await using var call = Client.Start<EchoRequest, EchoReply>("Bidi");
        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = "ping " + i });
            (await call.ResponseStream.MoveNext()).Should().BeTrue();
            call.ResponseStream.Current.Text.Should().Be("ping " + i);
        }

        await call.RequestStream.CompleteAsync();
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
        call.GetStatus().StatusCode.Should().Be(StatusCode.OK);
    }

    [Fact]
    public async Task Metadata_text_and_binary_round_trip_in_headers_and_trailers()
    {
        byte[] bytes = [0, 255, 128, 10, 13, .. System.Text.Encoding.UTF8.GetBytes("Đảng vụ")];
        var headers = new Metadata().Add("x-echo", "gia tri: ascii only").Add("x-echo-bin", bytes);
        await using var call = Client.Start<EchoRequest, EchoReply>("Unary", new CallOptions { Headers = headers });
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "m" });
        await call.RequestStream.CompleteAsync();

        (await call.ResponseHeadersAsync).GetValue("x-echo").Should().Be("gia tri: ascii only");
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
        call.GetTrailers().GetValueBytes("x-echo-bin").Should().Equal(bytes);
    }

    [Theory]
    [InlineData("notfound", StatusCode.NotFound, "Không tìm thấy đảng viên (member not found)")]
    [InlineData("invalid", StatusCode.InvalidArgument, "Tên không hợp lệ (invalid name) — trường (field): name")]
    [InlineData("rule", StatusCode.FailedPrecondition, "Vi phạm quy tắc (rule violated) — quy tắc (rule): r1")]
    [InlineData("denied", StatusCode.PermissionDenied, "Không có quyền (permission denied)")]
    [InlineData("conflict", StatusCode.Aborted, "Xung đột dữ liệu (concurrency conflict)")]
    [InlineData("rpc", StatusCode.OutOfRange, "Ngoài phạm vi (out of range) ☺")]
    public async Task Handler_exceptions_map_to_statuses_with_their_message_naming_the_field_or_rule(string failWith, StatusCode code, string message)
    {
        var act = () => Client.UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { FailWith = failWith });
        var error = (await act.Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(code);
        error.Status.Detail.Should().Be(message);
    }

    [Fact]
    public async Task RpcException_trailers_reach_the_client()
    {
        var act = () => Client.UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { FailWith = "rpc" });
        (await act.Should().ThrowAsync<RpcException>()).Which.Trailers.GetValueBytes("x-detail-bin").Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task Error_after_streamed_messages_arrives_in_trailers()
    {
        var received = 0;
        var act = async () =>
        {
            await foreach (var _ in Client.ServerStreamingAsync<EchoRequest, EchoReply>("ServerStream", new EchoRequest { Count = 3, FailWith = "notfound" }))
            {
                received++;
            }
        };
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
        received.Should().Be(3);
    }

    [Fact]
    public async Task Deadline_ends_a_slow_call_with_deadline_exceeded()
    {
        var act = () => Client.UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { DelayMs = 5000 },
            CallOptions.Default.WithTimeout(TimeSpan.FromMilliseconds(200)));
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
    }

    [Fact]
    public async Task Cancelling_a_call_cancels_the_handler_on_the_server()
    {
        server.Probe.Reset();
        using var cts = new CancellationTokenSource();
        var call = Client.UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { DelayMs = 10_000, Text = "cancel me" },
            new CallOptions { CancellationToken = cts.Token });
        await server.Probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await cts.CancelAsync();

        (await call.Awaiting(c => c).Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Cancelled);
        await server.Probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_a_client_stream_ends_the_handler_waiting_for_the_next_message()
    {
        server.Probe.Reset();
        using var cts = new CancellationTokenSource();
        await using var call = Client.Start<EchoRequest, EchoReply>("ClientStream", new CallOptions { CancellationToken = cts.Token });
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "một" });
        await server.Probe.Started.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await cts.CancelAsync();

        await server.Probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Gzip_compresses_requests_and_responses()
    {
        using var gzip = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { Compression = "gzip" });
        var client = new ServiceClient(gzip, EchoReflection.Descriptor.Services[0]);
        var reply = await client.UnaryAsync<EchoRequest, EchoReply>("Unary",
            new EchoRequest { Text = "nén cả hai chiều", CompressResponse = true, ResponseSize = 100_000 });
        reply.RequestCompressed.Should().BeTrue();
        reply.Payload.Length.Should().Be(100_000);
    }

    [Fact]
    public async Task Response_larger_than_the_client_limit_is_resource_exhausted()
    {
        using var small = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });
        var client = new ServiceClient(small, EchoReflection.Descriptor.Services[0]);
        var act = () => client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { ResponseSize = 2000 });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Request_larger_than_the_client_limit_is_resource_exhausted_without_sending()
    {
        using var small = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxSendMessageSize = 1000 });
        var client = new ServiceClient(small, EchoReflection.Descriptor.Services[0]);
        var act = () => client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Payload = ByteString.CopyFrom(new byte[2000]) });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Response_larger_than_the_server_limit_is_resource_exhausted()
    {
        var act = () => Client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { ResponseSize = 4 * 1024 * 1024 + 1 });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Idempotent_call_is_retried_on_unavailable()
    {
        var key = Guid.NewGuid().ToString("N");
        var reply = await Client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Text = "ok", FailWith = $"unavailable:{key}:2" });
        reply.Text.Should().Be("ok");
        server.Probe.Attempts[key].Should().Be(3);
    }

    [Fact]
    public async Task Call_not_marked_idempotent_is_not_retried()
    {
        var key = Guid.NewGuid().ToString("N");
        var act = () => Client.UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { FailWith = $"unavailable:{key}:1" });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
        server.Probe.Attempts[key].Should().Be(1);
    }

    [Fact]
    public async Task Options_can_mark_a_call_idempotent()
    {
        var key = Guid.NewGuid().ToString("N");
        await Client.UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { FailWith = $"unavailable:{key}:1" }, new CallOptions { Idempotent = true });
        server.Probe.Attempts[key].Should().Be(2);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streamed_messages_larger_than_the_flush_batch_arrive_whole_and_in_order(bool gzip)
    {
        var replies = await new EchoClient(_channel)
            .ServerStreamAsync(new EchoRequest { Count = 6, ResponseSize = 100_000, CompressResponse = gzip })
            .ToListAsync();
        replies.Select(r => r.Index).Should().Equal(0, 1, 2, 3, 4, 5);
        replies.Should().OnlyContain(r => r.Payload.Length == 100_000);
    }

    [Fact]
    public async Task A_streamed_message_is_sent_while_the_handler_still_waits_for_its_next_write()
    {
        // Writes are flushed together when the handler yields: a lone message must not wait for the next one.
        using var cts = new CancellationTokenSource();
        await using var stream = new EchoClient(_channel)
            .ServerStreamAsync(new EchoRequest { Text = "đầu tiên", Count = 2, DelayMs = 60_000 }, new CallOptions { CancellationToken = cts.Token })
            .GetAsyncEnumerator();
        var first = stream.MoveNextAsync().AsTask();
        (await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(30)))).Should().BeSameAs(first);
        (await first).Should().BeTrue();
        stream.Current.Index.Should().Be(0);
        await cts.CancelAsync();
    }

    [Fact]
    public async Task Idempotent_server_stream_is_retried_when_unavailable_before_its_first_message()
    {
        var key = Guid.NewGuid().ToString("N");
        var echo = new EchoClient(_channel);
        var replies = await echo.ServerStreamAsync(new EchoRequest { Count = 5, FailWith = $"unavailable:{key}:2" }, new CallOptions { Idempotent = true })
            .Select(r => r.Index).ToListAsync();
        replies.Should().Equal(0, 1, 2, 3, 4);
        server.Probe.Attempts[key].Should().Be(3);
    }

    [Fact]
    public async Task Server_stream_is_never_retried_after_a_message_was_received()
    {
        var key = Guid.NewGuid().ToString("N");
        var received = new List<int>();
        var act = async () =>
        {
            await foreach (var reply in new EchoClient(_channel).ServerStreamAsync(
                new EchoRequest { Count = 3, FailWith = $"unavailable-late:{key}:1" }, new CallOptions { Idempotent = true }))
            {
                received.Add(reply.Index);
            }
        };
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
        received.Should().Equal(0, 1, 2);
        server.Probe.Attempts[key].Should().Be(1);
    }

    [Fact]
    public async Task Server_stream_not_marked_idempotent_is_not_retried()
    {
        var key = Guid.NewGuid().ToString("N");
        var act = async () => await new EchoClient(_channel).ServerStreamAsync(new EchoRequest { Count = 2, FailWith = $"unavailable:{key}:1" }).ToListAsync();
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
        server.Probe.Attempts[key].Should().Be(1);
    }

    [Fact]
    public async Task Server_stream_gives_up_after_the_configured_attempts()
    {
        var key = Guid.NewGuid().ToString("N");
        var act = async () => await new EchoClient(_channel).ServerStreamAsync(
            new EchoRequest { Count = 2, FailWith = $"unavailable:{key}:10" }, new CallOptions { Idempotent = true }).ToListAsync();
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
        server.Probe.Attempts[key].Should().Be(4, "one call and MaxRetryAttempts (3) retries");
    }

    [Fact]
    public async Task Unreachable_server_is_unavailable()
    {
        using var nowhere = GrpcChannel.ForAddress("http://127.0.0.1:1", new GrpcChannelOptions { MaxRetryAttempts = 0 });
        var client = new ServiceClient(nowhere, EchoReflection.Descriptor.Services[0]);
        var act = () => client.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest());
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented_for_the_client()
    {
        var method = new Method<EchoRequest, EchoReply>(MethodType.Unary, "dangvu.rpctest.v1.Echo", "Missing");
        var act = () => _channel.UnaryAsync(method, new EchoRequest());
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
    }

    public void Dispose() => _channel.Dispose();
}
