using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;

namespace DangVu.Rpc.Tests;

/// <summary>A plain HTTP/2 client that sends and reads gRPC bytes without our gRPC client.</summary>
internal sealed class Wire(int port) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    public Task<WireResponse> PostAsync(string path, byte[] body, string contentType = "application/grpc", params (string Key, string Value)[] headers) =>
        PostAsync(path, new ByteArrayContent(body), contentType, headers);

    /// <summary>A body sent in <paramref name="parts"/>, each flushed and followed by a pause; the body ends after the last pause.</summary>
    public Task<WireResponse> PostInPartsAsync(string path, params byte[][] parts) =>
        PostAsync(path, new PartsContent(parts), "application/grpc", []);

    private async Task<WireResponse> PostAsync(string path, HttpContent body, string contentType, (string Key, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}{path}") {
            Content = body,
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (key, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var response = await _http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new WireResponse(response, bytes);
    }

    public static byte[] Frame(byte[] message, bool compressed = false, int? declaredLength = null)
    {
        var payload = compressed ? Gzip(message) : message;
        var frame = new byte[5 + payload.Length];
        frame[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public void Dispose() => _http.Dispose();

    private sealed class PartsContent(byte[][] parts) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            foreach (var part in parts)
            {
                await stream.WriteAsync(part);
                await stream.FlushAsync();
                await Task.Delay(150);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

internal sealed class WireResponse
{
    public WireResponse(HttpResponseMessage response, byte[] body)
    {
        HttpStatus = response.StatusCode;
        Body = body;
        TrailersOnly = response.Headers.Contains("grpc-status");
        Headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        Trailers = response.TrailingHeaders.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var source = TrailersOnly ? Headers : Trailers;
        GrpcStatus = source.TryGetValue("grpc-status", out var status) ? int.Parse(status, System.Globalization.CultureInfo.InvariantCulture) : null;
        GrpcMessage = source.GetValueOrDefault("grpc-message");
    }

    public HttpStatusCode HttpStatus { get; }

    public byte[] Body { get; }

    public bool TrailersOnly { get; }

    public Dictionary<string, string> Headers { get; }

    public Dictionary<string, string> Trailers { get; }

    public int? GrpcStatus { get; }

    public string? GrpcMessage { get; }

    public List<byte[]> Messages()
    {
        var messages = new List<byte[]>();
        for (var at = 0; at < Body.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(Body.AsSpan(at + 1));
            messages.Add(Body.AsSpan(at + 5, length).ToArray());
            at += 5 + length;
        }

        return messages;
    }
}
