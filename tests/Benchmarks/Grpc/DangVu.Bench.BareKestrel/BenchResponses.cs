namespace DangVu.Bench.BareKestrel;

/// <summary>
/// The framed responses of the benchmark's requests (build/bench/grpc.sh): a SimpleResponse
/// and StreamingOutputCallResponse each carrying a Payload of <see cref="PayloadSize"/> zero bytes.
/// </summary>
internal static class BenchResponses
{
    public const int PayloadSize = 32;

    public const int StreamCount = 100;

    /// <summary>The compressions our server announces in every response's headers.</summary>
    public const string AcceptEncoding = "identity,gzip";

    // SimpleResponse.payload (1) and StreamingOutputCallResponse.payload (1) share one encoding.
    public static readonly byte[] Unary = Frame(PayloadMessage());

    public static readonly byte[] StreamItem = Unary;

    private static byte[] PayloadMessage()
    {
        // Payload { body (field 2, bytes) } inside field 1 of the response.
        byte[] payload = [0x12, PayloadSize, .. new byte[PayloadSize]];
        return [0x0A, (byte)payload.Length, .. payload];
    }

    private static byte[] Frame(byte[] message)
    {
        var frame = new byte[5 + message.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
        message.CopyTo(frame, 5);
        return frame;
    }
}
