using System.Buffers;
using DangVu.Bench.BareKestrel;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The ceiling of the gRPC benchmark: Kestrel over h2c answering the two benchmarked methods
// with the very bytes our gRPC server returns (headers, messages, trailers), without parsing or
// serializing anything. Kestrel is set up as the interop server sets it up.
var port = args.Length == 2 && args[0] == "--port" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.Http2.MaxStreamsPerConnection = 1000;
    k.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2);
});
var app = builder.Build();

app.MapPost("/grpc.testing.TestService/UnaryCall", context => Reply(context, BenchResponses.Unary, 1));
app.MapPost("/grpc.testing.TestService/StreamingOutputCall", context => Reply(context, BenchResponses.StreamItem, BenchResponses.StreamCount));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"bare Kestrel listening on {string.Join(", ", app.Urls)}"));
app.Run();

static async Task Reply(HttpContext context, byte[] frame, int count)
{
    // Drain the request as a gRPC server must before it answers.
    var reader = context.Request.BodyReader;
    while (true)
    {
        var read = await reader.ReadAsync();
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }

    context.Response.ContentType = "application/grpc";
    context.Response.Headers["grpc-accept-encoding"] = BenchResponses.AcceptEncoding;
    context.Response.AppendTrailer("grpc-status", "0");
    var writer = context.Response.BodyWriter;
    for (var i = 0; i < count; i++)
    {
        writer.Write(frame);
        await writer.FlushAsync();
    }
}
