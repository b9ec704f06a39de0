using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using Grpc.Testing;

namespace DangVu.Interop.Tests;

/// <summary>
/// What the interop clients cannot see: the compressed flag of each message on the wire.
/// A plain HTTP/2 client (not our gRPC client) sends and reads the frames byte for byte.
/// </summary>
[Collection(InteropServerCollection.Name)]
public sealed class WireCompressionTests(InteropServerFixture server) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    [Fact]
    public async Task Response_asked_compressed_comes_gzip_compressed_on_the_wire()
    {
        var request = new SimpleRequest { ResponseSize = 314159, ResponseCompressed = new BoolValue { Value = true } };

        var (response, frames) = await CallAsync("UnaryCall", Frame(request.ToByteArray(), compress: false));

        response.Headers.GetValues("grpc-encoding").Should().Equal("gzip");
        frames.Should().ContainSingle().Which.Compressed.Should().BeTrue();
        SimpleResponse.Parser.ParseFrom(Gunzip(frames[0].Bytes)).Payload.Body.Length.Should().Be(314159);
        Status(response).Should().Be("0");
    }

    [Fact]
    public async Task Response_asked_uncompressed_comes_uncompressed_on_the_wire()
    {
        var request = new SimpleRequest { ResponseSize = 314159, ResponseCompressed = new BoolValue { Value = false } };

        var (response, frames) = await CallAsync("UnaryCall", Frame(request.ToByteArray(), compress: false));

        frames.Should().ContainSingle().Which.Compressed.Should().BeFalse();
        SimpleResponse.Parser.ParseFrom(frames[0].Bytes).Payload.Body.Length.Should().Be(314159);
        Status(response).Should().Be("0");
    }

    [Fact]
    public async Task Stream_compresses_exactly_the_messages_asked_compressed()
    {
        var request = new StreamingOutputCallRequest
        {
            ResponseParameters =
            {
                new ResponseParameters { Size = 31415, Compressed = new BoolValue { Value = true } },
                new ResponseParameters { Size = 92653, Compressed = new BoolValue { Value = false } },
            },
        };

        var (response, frames) = await CallAsync("StreamingOutputCall", Frame(request.ToByteArray(), compress: false));

        frames.Select(f => f.Compressed).Should().Equal(true, false);
        StreamingOutputCallResponse.Parser.ParseFrom(Gunzip(frames[0].Bytes)).Payload.Body.Length.Should().Be(31415);
        StreamingOutputCallResponse.Parser.ParseFrom(frames[1].Bytes).Payload.Body.Length.Should().Be(92653);
        Status(response).Should().Be("0");
    }

    [Fact]
    public async Task Gzip_request_expected_compressed_is_accepted()
    {
        var request = new SimpleRequest { ResponseSize = 10, ExpectCompressed = new BoolValue { Value = true }, Payload = new Payload { Body = ByteString.CopyFrom(new byte[271828]) } };

        var (response, frames) = await CallAsync("UnaryCall", Frame(request.ToByteArray(), compress: true), "gzip");

        Status(response).Should().Be("0");
        frames.Should().ContainSingle();
    }

    [Fact]
    public async Task Uncompressed_request_expected_compressed_is_rejected_as_invalid_argument()
    {
        var request = new SimpleRequest { ExpectCompressed = new BoolValue { Value = true } };

        var (response, frames) = await CallAsync("UnaryCall", Frame(request.ToByteArray(), compress: false), "gzip");

        Status(response).Should().Be("3");
        frames.Should().BeEmpty();
    }

    public void Dispose() => _http.Dispose();

    private async Task<(HttpResponseMessage Response, List<(bool Compressed, byte[] Bytes)> Frames)> CallAsync(
        string method, byte[] body, string? encoding = null)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{server.Port}/grpc.testing.TestService/{method}")
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.TryAddWithoutValidation("grpc-accept-encoding", "identity,gzip");
        if (encoding is not null)
        {
            message.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        var response = await _http.SendAsync(message);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var frames = new List<(bool, byte[])>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at + 1));
            frames.Add((bytes[at] == 1, bytes.AsSpan(at + 5, length).ToArray()));
            at += 5 + length;
        }

        return (response, frames);
    }

    // A trailers-only response carries grpc-status in its headers.
    private static string Status(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
        : response.Headers.GetValues("grpc-status").Single();

    private static byte[] Frame(byte[] message, bool compress)
    {
        var payload = compress ? Gzip(message) : message;
        var frame = new byte[5 + payload.Length];
        frame[0] = compress ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        return frame;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
