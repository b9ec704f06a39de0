using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Core.Rpc.Server;
using DangVu.Rpc.Tests.Proto;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DangVu.Rpc.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Transport_options_bind_from_the_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Grpc:MaxReceiveMessageSize"] = "1000",
            ["Grpc:MaxSendMessageSize"] = "2000",
            ["Grpc:EnableReflection"] = "false",
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddGrpcTransport(configuration.GetSection("Grpc")).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<GrpcTransportOptions>>().Value;
        options.MaxReceiveMessageSize.Should().Be(1000);
        options.MaxSendMessageSize.Should().Be(2000);
        options.EnableReflection.Should().BeFalse();
    }

    [Fact]
    public async Task Configured_receive_limit_is_enforced_and_open_health_watches_do_not_hold_up_shutdown()
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport(new ConfigurationBuilder().AddInMemoryCollection(
            new Dictionary<string, string?> { ["MaxReceiveMessageSize"] = "1000" }).Build());
        builder.Services.AddSingleton(new EchoProbe());
        await using var app = builder.Build();
        app.MapGrpcTransport();
        app.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
        await app.StartAsync();

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var echo = new ServiceClient(channel, EchoReflection.Descriptor.Services[0]);
        (await echo.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Payload = ByteString.CopyFrom(new byte[900]) })).Should().NotBeNull();
        var act = () => echo.UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Payload = ByteString.CopyFrom(new byte[1100]) });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.ResourceExhausted);

        var health = new ServiceClient(channel, Grpc.Health.V1.HealthReflection.Descriptor.Services[0]);
        var watch = health.Start<Grpc.Health.V1.HealthCheckRequest, Grpc.Health.V1.HealthCheckResponse>("Watch");
        await watch.RequestStream.WriteAsync(new Grpc.Health.V1.HealthCheckRequest());
        await watch.RequestStream.CompleteAsync();
        (await watch.ResponseStream.MoveNext()).Should().BeTrue();

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await app.StopAsync();
        stopping.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        await watch.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
