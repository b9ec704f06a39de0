using System.Net;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DangVu.Interop.TestServer;

/// <summary>gRPC's interop TestService on our transport, h2c on 127.0.0.1.</summary>
internal static class InteropServer
{
    public static async Task<RunningInteropServer> StartAsync(int port, CancellationToken cancellationToken, bool anyAddress = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(anyAddress ? IPAddress.Any : IPAddress.Loopback, port, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpcTransport();
        builder.Services.AddSingleton<TestServiceImpl>();
        var app = builder.Build();
        app.MapGrpcTransport();
        app.MapGrpcService<TestServiceImpl>(Grpc.Testing.TestReflection.Descriptor.Services.First(s => s.Name == "TestService"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningInteropServer(app, new Uri(address).Port);
    }
}

internal sealed class RunningInteropServer(WebApplication app, int port) : IAsyncDisposable
{
    public int Port { get; } = port;

    public WebApplication App { get; } = app;

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
