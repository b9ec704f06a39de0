using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using DangVu.Core.Abstractions.Rpc;
using Google.Protobuf;
using Microsoft.Extensions.Primitives;

namespace DangVu.Core.Rpc;

/// <summary>The wire rules of gRPC over HTTP/2 that server and client share.</summary>
internal static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string TimeoutHeader = "grpc-timeout";
    public const string Gzip = "gzip";
    public const string Identity = "identity";
    public const string SupportedEncodings = "identity,gzip";
    public const int HeaderSize = 5;
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>application/grpc, application/grpc+proto, with any parameters.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = contentType.AsSpan(ContentType.Length);
        var semicolon = rest.IndexOf(';');
        if (semicolon >= 0)
        {
            rest = rest[..semicolon];
        }

        rest = rest.Trim();
        return rest.Length == 0 || rest.Equals("+proto", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The grpc-status value of a code.</summary>
    public static string FormatStatus(StatusCode code) => ((int)code).ToString(CultureInfo.InvariantCulture);

    public static bool IsSupportedEncoding(string? encoding) =>
        string.IsNullOrEmpty(encoding) || encoding == Identity || encoding == Gzip;

    /// <summary>Whether a grpc-accept-encoding list names gzip; read in place (clients send it with every call).</summary>
    public static bool AcceptsGzip(string? acceptEncoding)
    {
        var rest = acceptEncoding.AsSpan();
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var part = comma < 0 ? rest : rest[..comma];
            if (part.Trim().Equals(Gzip, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            rest = comma < 0 ? default : rest[(comma + 1)..];
        }

        return false;
    }

    // ---- grpc-message: percent-encoded UTF-8 ----

    public static string EncodeMessage(string message)
    {
        var needs = false;
        foreach (var c in message)
        {
            if (c < 0x20 || c > 0x7E || c == '%')
            {
                needs = true;
                break;
            }
        }

        if (!needs)
        {
            return message;
        }

        var bytes = Encoding.UTF8.GetBytes(message);
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            if (b < 0x20 || b > 0x7E || b == '%')
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }

        return sb.ToString();
    }

    public static string DecodeMessage(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)value[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    // ---- grpc-timeout ----

    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return false;
        }

        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        var ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => -1,
        };
        if (ticks < 0)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(ticks);
        return true;
    }

    public static string FormatTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        // At most 8 digits: pick the finest unit that fits.
        var ms = (long)Math.Ceiling(timeout.TotalMilliseconds);
        if (timeout.Ticks / 10 < 100_000_000)
        {
            return (timeout.Ticks / 10 + (timeout.Ticks % 10 > 0 ? 1 : 0)).ToString(CultureInfo.InvariantCulture) + "u";
        }

        if (ms < 100_000_000)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "m";
        }

        var s = (long)Math.Ceiling(timeout.TotalSeconds);
        return s < 100_000_000 ? s.ToString(CultureInfo.InvariantCulture) + "S" : "99999999S";
    }

    // ---- metadata ----

    // Kestrel names known headers in their canonical case ("Content-Type"): one hash lookup per header.
    private static readonly System.Collections.Frozen.FrozenSet<string> ReservedHeaders = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["content-type", "te", "host", "content-length", "connection", "transfer-encoding", "accept-encoding"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers that are the protocol's, not the application's.</summary>
    public static bool IsReservedHeader(string key) =>
        key.Length == 0 || key[0] == ':'
        || key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
        || ReservedHeaders.Contains(key);

    // A request header's name → its metadata key (lower case), or null for a protocol header.
    // The same few names come with every call, and Kestrel gives known ones in canonical case
    // ("User-Agent"): remembering the answer spares a case-insensitive check and a new lower-case
    // string per header and call. Bounded, since clients choose the names.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> MetadataKeys = new(StringComparer.Ordinal);
    private const int MaxRememberedKeys = 512;
    private static int _rememberedKeys;

    private static string? MetadataKey(string header)
    {
        if (MetadataKeys.TryGetValue(header, out var key))
        {
            return key;
        }

        key = IsReservedHeader(header) ? null : header.ToLowerInvariant();
        if (Interlocked.Increment(ref _rememberedKeys) <= MaxRememberedKeys)
        {
            MetadataKeys.TryAdd(header, key);
        }

        return key;
    }

    public static void AddHeader(Metadata metadata, string header, StringValues values)
    {
        if (MetadataKey(header) is not { } key)
        {
            return;
        }

        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            try
            {
                if (Metadata.Entry.IsBinaryKey(key))
                {
                    foreach (var part in value.Split(','))
                    {
                        metadata.Add(key, DecodeBase64(part.Trim()));
                    }
                }
                else
                {
                    metadata.Add(key, value);
                }
            }
            catch (ArgumentException)
            {
                // A value this side cannot represent (odd characters): dropped, as other implementations do.
            }
            catch (FormatException)
            {
            }
        }
    }

    public static string EncodeValue(Metadata.Entry entry) =>
        entry.IsBinary ? Convert.ToBase64String(entry.ValueBytes).TrimEnd('=') : entry.Value;

    public static byte[] DecodeBase64(string value)
    {
        var padded = (value.Length % 4) switch
        {
            2 => value + "==",
            3 => value + "=",
            _ => value,
        };
        return Convert.FromBase64String(padded);
    }

    // ---- message frames ----

    /// <summary>
    /// The generated <c>T.Parser</c>: its factory news the message up directly, where
    /// <c>new T()</c> in shared generic code goes through reflection on every message.
    /// </summary>
    public static MessageParser<T> ParserOf<T>()
        where T : IMessage<T>, new() =>
        typeof(T).GetProperty("Parser", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null) as MessageParser<T>
            ?? new MessageParser<T>(() => new T());

    /// <summary>Writes one length-prefixed message; the bytes written.</summary>
    public static int WriteMessage<T>(IBufferWriter<byte> writer, T message, bool compress, int maxSize)
        where T : IMessage
    {
        var size = message.CalculateSize();
        if (compress)
        {
            var compressed = GzipCompress(message.ToByteArray());
            if (compressed.Length > maxSize)
            {
                throw SendTooLarge(compressed.Length, maxSize);
            }

            var span = writer.GetSpan(HeaderSize);
            span[0] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)compressed.Length);
            writer.Advance(HeaderSize);
            writer.Write(compressed);
            return HeaderSize + compressed.Length;
        }

        if (size > maxSize)
        {
            throw SendTooLarge(size, maxSize);
        }

        if (size <= 16 * 1024)
        {
            var span = writer.GetSpan(HeaderSize + size);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            message.WriteTo(span.Slice(HeaderSize, size));
            writer.Advance(HeaderSize + size);
        }
        else
        {
            var span = writer.GetSpan(HeaderSize);
            span[0] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
            writer.Advance(HeaderSize);
            message.WriteTo(writer);
        }

        return HeaderSize + size;
    }

    private static RpcException SendTooLarge(int size, int max) =>
        new(StatusCode.ResourceExhausted,
            $"Thông điệp gửi đi quá lớn: {size} byte, tối đa {max} (sending message larger than max: {size} vs. {max})");

    /// <summary>
    /// Takes one whole message off the front of <paramref name="buffer"/>: false when more bytes are needed.
    /// </summary>
    public static bool TryReadMessage(ref ReadOnlySequence<byte> buffer, int maxSize, bool encodingAllowsCompression,
        out ReadOnlySequence<byte> payload, out bool compressed)
    {
        payload = default;
        compressed = false;
        if (buffer.Length < HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        var flag = header[0];
        if (flag > 1)
        {
            throw new RpcException(StatusCode.Internal, "Cờ nén không hợp lệ (invalid compressed-flag byte in message prefix)");
        }

        compressed = flag == 1;
        if (compressed && !encodingAllowsCompression)
        {
            throw new RpcException(StatusCode.Internal,
                "Thông điệp được đánh dấu nén nhưng thiếu grpc-encoding (compressed flag set but no grpc-encoding given)");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);
        if (length > (uint)maxSize)
        {
            throw ReceiveTooLarge(length, maxSize);
        }

        if (buffer.Length < HeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(HeaderSize, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }

    public static RpcException ReceiveTooLarge(long size, int max) =>
        new(StatusCode.ResourceExhausted,
            $"Thông điệp nhận được quá lớn: {size} byte, tối đa {max} (received message larger than max: {size} vs. {max})");

    public static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed, int maxSize)
        where T : IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            var bytes = GzipDecompress(payload, maxSize);
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new RpcException(StatusCode.Internal, "Không đọc được thông điệp (failed to deserialize message): " + e.Message);
        }
        catch (InvalidDataException)
        {
            throw new RpcException(StatusCode.Internal, "Dữ liệu nén gzip hỏng (corrupt gzip data in message)");
        }
    }

    public static byte[] GzipCompress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] GzipDecompress(ReadOnlySequence<byte> payload, int maxSize)
    {
        using var input = new GZipStream(new MemoryStream(payload.ToArray()), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > maxSize)
                {
                    throw ReceiveTooLarge(output.Length, maxSize);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return output.ToArray();
    }

    /// <summary>The gRPC code for an HTTP status that is not 200 (gRPC's http-grpc-status-mapping).</summary>
    public static StatusCode FromHttpStatus(int status) => status switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
