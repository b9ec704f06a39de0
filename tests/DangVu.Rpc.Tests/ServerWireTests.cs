using System.Net;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Rpc.Tests.Proto;
using Google.Protobuf;

namespace DangVu.Rpc.Tests;

/// <summary>Our server against a raw HTTP/2 client: the protocol's bad paths, byte for byte.</summary>
[Collection(TestServerCollection.Name)]
public sealed class ServerWireTests(TestServer server) : IDisposable
{
    private const string Unary = "/dangvu.rpctest.v1.Echo/Unary";
    private readonly Wire _wire = new(server.Port);

    private static byte[] Request(string text = "xin chào", string failWith = "") =>
        Wire.Frame(new EchoRequest { Text = text, FailWith = failWith }.ToByteArray());

    [Fact]
    public async Task Unary_call_answers_one_message_and_status_ok_in_trailers()
    {
        var response = await _wire.PostAsync(Unary, Request("một"));

        response.HttpStatus.Should().Be(HttpStatusCode.OK);
        response.Headers["content-type"].Should().Be("application/grpc");
        response.TrailersOnly.Should().BeFalse();
        response.GrpcStatus.Should().Be(0);
        EchoReply.Parser.ParseFrom(response.Messages().Single()).Text.Should().Be("một");
    }

    [Fact]
    public async Task Unary_request_arriving_in_pieces_is_answered_once_the_body_ends()
    {
        var frame = Request("từng phần");
        var response = await _wire.PostInPartsAsync(Unary, frame[..3], frame[3..8], frame[8..]);

        response.GrpcStatus.Should().Be(0);
        EchoReply.Parser.ParseFrom(response.Messages().Single()).Text.Should().Be("từng phần");
    }

    [Fact]
    public async Task Unary_request_whose_body_ends_after_its_message_is_answered()
    {
        // The message is whole at once; the end of the body (an empty DATA frame) comes a pause later.
        var response = await _wire.PostInPartsAsync(Unary, Request("trọn vẹn"));

        response.GrpcStatus.Should().Be(0);
        EchoReply.Parser.ParseFrom(response.Messages().Single()).Text.Should().Be("trọn vẹn");
    }

    [Fact]
    public async Task Two_messages_for_a_unary_call_are_internal()
    {
        var response = await _wire.PostAsync(Unary, [.. Request("một"), .. Request("hai")]);

        response.GrpcStatus.Should().Be((int)StatusCode.Internal);
        response.GrpcMessage.Should().Contain("more than one request message");
        response.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task Unary_handler_that_finishes_later_answers_with_its_message_then_the_status()
    {
        var response = await _wire.PostAsync(Unary, Wire.Frame(new EchoRequest { Text = "chậm", DelayMs = 100 }.ToByteArray()));

        response.TrailersOnly.Should().BeFalse();
        response.GrpcStatus.Should().Be(0);
        EchoReply.Parser.ParseFrom(response.Messages().Single()).Text.Should().Be("chậm");
    }

    [Fact]
    public async Task Unary_handler_that_fails_later_answers_trailers_only_with_its_status()
    {
        var response = await _wire.PostAsync(Unary, Wire.Frame(new EchoRequest { DelayMs = 100, FailWith = "conflict" }.ToByteArray()));

        response.TrailersOnly.Should().BeTrue();
        response.GrpcStatus.Should().Be((int)StatusCode.Aborted);
        response.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task Content_type_grpc_proto_is_accepted()
    {
        var response = await _wire.PostAsync(Unary, Request(), "application/grpc+proto");
        response.GrpcStatus.Should().Be(0);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/grpc+json")]
    public async Task Wrong_content_type_gets_http_415(string contentType)
    {
        var response = await _wire.PostAsync(Unary, Request(), contentType);
        response.HttpStatus.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Unknown_method_of_a_known_service_is_unimplemented_trailers_only()
    {
        var response = await _wire.PostAsync("/dangvu.rpctest.v1.Echo/Nope", Request());

        response.HttpStatus.Should().Be(HttpStatusCode.OK);
        response.TrailersOnly.Should().BeTrue();
        response.GrpcStatus.Should().Be((int)StatusCode.Unimplemented);
        response.Body.Should().BeEmpty();
    }

    [Fact]
    public async Task Unknown_service_is_unimplemented()
    {
        var response = await _wire.PostAsync("/no.such.Service/Call", Request());
        response.GrpcStatus.Should().Be((int)StatusCode.Unimplemented);
        response.TrailersOnly.Should().BeTrue();
    }

    [Fact]
    public async Task Non_grpc_post_to_an_unknown_path_is_left_to_the_host_404()
    {
        var response = await _wire.PostAsync("/members/create", [1, 2, 3], "application/x-www-form-urlencoded");
        response.HttpStatus.Should().Be(HttpStatusCode.NotFound);
        response.GrpcStatus.Should().BeNull();
    }

    [Theory]
    [InlineData("/members/create")]
    [InlineData("/no.such.Service/Call/extra")]
    [InlineData("/no.such.Service/")]
    [InlineData("/no.such.Service")]
    public async Task Grpc_post_to_a_path_that_is_no_method_name_is_left_to_the_host_404(string path)
    {
        var response = await _wire.PostAsync(path, Request());
        response.HttpStatus.Should().Be(HttpStatusCode.NotFound);
        response.GrpcStatus.Should().BeNull();
    }

    [Fact]
    public async Task Oversized_request_is_resource_exhausted()
    {
        var big = Wire.Frame(new EchoRequest { Payload = ByteString.CopyFrom(new byte[4 * 1024 * 1024 + 1]) }.ToByteArray());
        var response = await _wire.PostAsync(Unary, big);
        response.GrpcStatus.Should().Be((int)StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Length_prefix_larger_than_the_limit_is_refused_before_the_body_arrives()
    {
        var response = await _wire.PostAsync(Unary, Wire.Frame([1, 2, 3], declaredLength: int.MaxValue));
        response.GrpcStatus.Should().Be((int)StatusCode.ResourceExhausted);
    }

    [Fact]
    public async Task Length_prefix_larger_than_the_body_is_internal()
    {
        var response = await _wire.PostAsync(Unary, Wire.Frame(new EchoRequest { Text = "x" }.ToByteArray(), declaredLength: 100));
        response.GrpcStatus.Should().Be((int)StatusCode.Internal);
        response.GrpcMessage.Should().Contain("incomplete");
    }

    [Fact]
    public async Task Truncated_header_is_internal()
    {
        var response = await _wire.PostAsync(Unary, [0, 0, 0]);
        response.GrpcStatus.Should().Be((int)StatusCode.Internal);
    }

    [Fact]
    public async Task Empty_body_for_a_unary_call_is_internal()
    {
        var response = await _wire.PostAsync(Unary, []);
        response.GrpcStatus.Should().Be((int)StatusCode.Internal);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_internal()
    {
        var response = await _wire.PostAsync(Unary, Wire.Frame(new EchoRequest { Text = "x" }.ToByteArray(), compressed: true));
        response.GrpcStatus.Should().Be((int)StatusCode.Internal);
    }

    [Fact]
    public async Task Garbage_bytes_are_internal_and_the_server_keeps_serving()
    {
        var garbage = new byte[1000];
        new Random(42).NextBytes(garbage);
        garbage[0] = 0;
        garbage[1] = 0;
        garbage[2] = 0;
        garbage[3] = 3;
        garbage[4] = 0xE3; // 995 bytes declared: all of the rest, none of it protobuf
        (await _wire.PostAsync(Unary, garbage)).GrpcStatus.Should().Be((int)StatusCode.Internal);
        (await _wire.PostAsync(Unary, [7, 7, 7, 7, 7, 7])).GrpcStatus.Should().Be((int)StatusCode.Internal);
        (await _wire.PostAsync(Unary, Request())).GrpcStatus.Should().Be(0);
    }

    [Fact]
    public async Task Unsupported_encoding_is_unimplemented_and_lists_the_supported_ones()
    {
        var response = await _wire.PostAsync(Unary, Request(), "application/grpc", ("grpc-encoding", "snappy"));
        response.GrpcStatus.Should().Be((int)StatusCode.Unimplemented);
        response.Headers["grpc-accept-encoding"].Should().Contain("gzip");
    }

    [Fact]
    public async Task Gzip_request_is_decompressed_and_reported_as_compressed()
    {
        var frame = Wire.Frame(new EchoRequest { Text = "nén" }.ToByteArray(), compressed: true);
        var response = await _wire.PostAsync(Unary, frame, "application/grpc", ("grpc-encoding", "gzip"));
        response.GrpcStatus.Should().Be(0);
        var reply = EchoReply.Parser.ParseFrom(response.Messages().Single());
        reply.Text.Should().Be("nén");
        reply.RequestCompressed.Should().BeTrue();
    }

    [Fact]
    public async Task Vietnamese_status_message_is_percent_encoded_utf8()
    {
        var response = await _wire.PostAsync(Unary, Request(failWith: "notfound"));
        response.GrpcStatus.Should().Be((int)StatusCode.NotFound);
        response.GrpcMessage.Should().StartWith("Kh%C3%B4ng t%C3%ACm th%E1%BA%A5y");
        response.TrailersOnly.Should().BeTrue();
    }

    [Fact]
    public async Task Unhandled_exception_is_internal_without_details_but_with_a_correlation_id()
    {
        var response = await _wire.PostAsync(Unary, Request(failWith: "boom"));
        response.GrpcStatus.Should().Be((int)StatusCode.Internal);
        response.GrpcMessage.Should().NotContain("secret").And.Contain("correlation id");
    }

    [Fact]
    public async Task Http11_request_is_refused_with_426()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://127.0.0.1:{server.TlsPort}{Unary}")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(Request()),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.UpgradeRequired);
    }

    [Fact]
    public async Task Grpc_timeout_header_ends_a_slow_call_with_deadline_exceeded_and_cancels_the_handler()
    {
        server.Probe.Reset();
        var started = DateTime.UtcNow;
        var response = await _wire.PostAsync(Unary, Wire.Frame(new EchoRequest { Text = "slow", DelayMs = 10_000 }.ToByteArray()),
            "application/grpc", ("grpc-timeout", "200m"));

        response.GrpcStatus.Should().Be((int)StatusCode.DeadlineExceeded);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(3));
        await server.Probe.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    public void Dispose() => _wire.Dispose();
}
