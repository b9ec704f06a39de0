using System.Buffers;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc;
using DangVu.Rpc.Tests.Proto;
using Google.Protobuf;

namespace DangVu.Rpc.Tests;

public sealed class ProtocolTests
{
    [Theory]
    [InlineData("1H", 3600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3000)]
    [InlineData("250m", 250)]
    [InlineData("1500u", 1.5)]
    [InlineData("2000000n", 2)]
    public void Grpc_timeout_units_parse(string value, double milliseconds)
    {
        GrpcProtocol.TryParseTimeout(value, out var timeout).Should().BeTrue();
        timeout.TotalMilliseconds.Should().Be(milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("m")]
    [InlineData("-5m")]
    [InlineData("5x")]
    [InlineData("123456789m")]
    public void Malformed_grpc_timeout_is_rejected(string value) =>
        GrpcProtocol.TryParseTimeout(value, out _).Should().BeFalse();

    [Theory]
    [InlineData(0.5)]
    [InlineData(200)]
    [InlineData(5_000_000)]
    [InlineData(1_000_000_000)]
    public void Formatted_timeout_has_at_most_8_digits_and_round_trips_upwards(double milliseconds)
    {
        var text = GrpcProtocol.FormatTimeout(TimeSpan.FromMilliseconds(milliseconds));
        text.Length.Should().BeLessThanOrEqualTo(9);
        GrpcProtocol.TryParseTimeout(text, out var parsed).Should().BeTrue();
        parsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("50% done", "50%25 done")]
    [InlineData("Đảng", "%C4%90%E1%BA%A3ng")]
    [InlineData("tab\tnewline\n", "tab%09newline%0A")]
    public void Grpc_message_is_percent_encoded_and_decoded(string message, string wire)
    {
        GrpcProtocol.EncodeMessage(message).Should().Be(wire);
        GrpcProtocol.DecodeMessage(wire).Should().Be(message);
    }

    [Fact]
    public void Invalid_percent_sequences_decode_as_written() =>
        GrpcProtocol.DecodeMessage("100%zz%").Should().Be("100%zz%");

    [Fact]
    public void Message_split_across_segments_is_read_whole()
    {
        var framed = Wire.Frame(new EchoRequest { Text = "phân mảnh", Payload = ByteString.CopyFrom(new byte[300]) }.ToByteArray());
        var buffer = Segmented(framed, 7);

        GrpcProtocol.TryReadMessage(ref buffer, 1000, false, out var payload, out var compressed).Should().BeTrue();
        compressed.Should().BeFalse();
        GrpcProtocol.Parse(EchoRequest.Parser, payload, false, 1000).Text.Should().Be("phân mảnh");
        buffer.Length.Should().Be(0);
    }

    [Fact]
    public void Incomplete_message_asks_for_more_bytes()
    {
        var framed = Wire.Frame(new EchoRequest { Text = "x" }.ToByteArray());
        var buffer = new ReadOnlySequence<byte>(framed, 0, framed.Length - 1);
        GrpcProtocol.TryReadMessage(ref buffer, 1000, false, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void Invalid_compressed_flag_is_internal()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[] { 2, 0, 0, 0, 0 });
        var act = () => GrpcProtocol.TryReadMessage(ref buffer, 1000, true, out _, out _);
        act.Should().Throw<RpcException>().Which.StatusCode.Should().Be(StatusCode.Internal);
    }

    [Fact]
    public void Gzip_bomb_beyond_the_limit_is_resource_exhausted()
    {
        var bomb = Wire.Gzip(new byte[1_000_000]);
        var act = () => GrpcProtocol.Parse(EchoRequest.Parser, new ReadOnlySequence<byte>(bomb), true, 10_000);
        act.Should().Throw<RpcException>().Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);
    }

    [Fact]
    public void Binary_metadata_accepts_unpadded_base64_and_comma_separated_values()
    {
        var metadata = new Metadata();
        GrpcProtocol.AddHeader(metadata, "X-Data-Bin", "AQI,AwQF");
        metadata.GetAll("x-data-bin").Select(e => e.ValueBytes).Should().BeEquivalentTo(new[] { new byte[] { 1, 2 }, new byte[] { 3, 4, 5 } });
        GrpcProtocol.AddHeader(metadata, "grpc-timeout", "1S");
        GrpcProtocol.AddHeader(metadata, ":path", "/x");
        metadata.Count.Should().Be(2);
    }

    [Fact]
    public void Header_names_keep_mapping_to_lower_case_keys_after_the_remembered_names_run_out()
    {
        // Clients choose header names: past the bounded cache every name is still judged afresh.
        for (var i = 0; i < 600; i++)
        {
            GrpcProtocol.AddHeader(new Metadata(), $"X-Flood-{i}", "v");
        }

        var metadata = new Metadata();
        GrpcProtocol.AddHeader(metadata, "X-Late-Caller", "7");
        GrpcProtocol.AddHeader(metadata, "Content-Type", "application/grpc");
        GrpcProtocol.AddHeader(metadata, "Grpc-Encoding", "gzip");
        metadata.Select(e => (e.Key, e.Value)).Should().Equal(("x-late-caller", "7"));
    }

    [Theory]
    [InlineData("gzip", true)]
    [InlineData("identity,deflate,gzip", true)]
    [InlineData("identity, GZIP ", true)]
    [InlineData("identity,deflate", false)]
    [InlineData("gzipx,xgzip", false)]
    [InlineData(",,", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Grpc_accept_encoding_lists_are_searched_for_gzip(string? header, bool gzip) =>
        GrpcProtocol.AcceptsGzip(header).Should().Be(gzip);

    [Fact]
    public void Metadata_keys_are_lower_case_and_only_printable_ascii_text_is_taken()
    {
        var metadata = new Metadata().Add("X-Trace_ID.v2", "abc").Add("plain", "ok");
        metadata.Select(e => e.Key).Should().Equal("x-trace_id.v2", "plain");
        metadata.Get("X-TRACE_ID.V2")!.Value.Should().Be("abc");
        metadata.GetValue("plain").Should().Be("ok");
        metadata.Get("missing").Should().BeNull();

        ((Action)(() => metadata.Add("x y", "v"))).Should().Throw<ArgumentException>();
        ((Action)(() => metadata.Add("x-đảng", "v"))).Should().Throw<ArgumentException>();
        ((Action)(() => metadata.Add("x-name", "Nguyễn"))).Should().Throw<ArgumentException>().WithMessage("*printable ASCII*");
        ((Action)(() => metadata.Add("x-tab", "a\tb"))).Should().Throw<ArgumentException>();
        ((Action)(() => metadata.Add("x-raw", [1]))).Should().Throw<ArgumentException>().WithMessage("*-bin*");

        // Headers with a value this side cannot represent are dropped, the others kept.
        var headers = new Metadata();
        GrpcProtocol.AddHeader(headers, "X-Name", "Nguy\u1EC5n");
        GrpcProtocol.AddHeader(headers, "X-Ok", "ok ~");
        headers.Select(e => (e.Key, e.Value)).Should().Equal(("x-ok", "ok ~"));
    }

    [Fact]
    public void A_messages_parser_is_the_generated_one_and_parses_its_bytes()
    {
        GrpcProtocol.ParserOf<EchoRequest>().Should().BeSameAs(EchoRequest.Parser);
        var parsed = GrpcProtocol.ParserOf<EchoRequest>().ParseFrom(new EchoRequest { Text = "xin chào" }.ToByteArray());
        parsed.Text.Should().Be("xin chào");
    }

    private static ReadOnlySequence<byte> Segmented(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var i = 0; i < bytes.Length; i += size)
        {
            var memory = bytes.AsMemory(i, Math.Min(size, bytes.Length - i));
            if (first is null)
            {
                first = last = new Segment(memory, 0);
            }
            else
            {
                last = last!.Append(memory);
            }
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
