using System.Net;
using System.Security.Claims;
using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Modules;
using DangVu.Core.Rpc.Client;
using DangVu.Core.Rpc.Server;
using DangVu.Rpc.Tests.Proto;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DangVu.Rpc.Tests;

/// <summary>
/// A module that binds its gRPC service and then fails while mapping its endpoints, mapped by
/// the host's real module mapping, served by real Kestrel.
/// </summary>
public sealed class FailedModuleTests : IAsyncLifetime
{
    private const string EchoName = "dangvu.rpctest.v1.Echo";
    private WebApplication? _app;
    private GrpcChannel? _channel;
    private ModuleEntry? _broken;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport();
        builder.Services.AddSingleton(new EchoProbe());
        _app = builder.Build();
        _broken = Entry("broken", new BindsThenThrows());
        ModuleEndpoints.MapAll(new ModuleRegistry([_broken]), _app);
        _app.MapGrpcTransport();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxRetryAttempts = 0 });
    }

    [Fact]
    public async Task Health_says_not_serving_for_the_service_of_a_module_that_failed_after_binding_it()
    {
        _broken!.State.Should().Be(DangVu.Contracts.Core.V1.ModuleState.Failed);
        var health = new HealthClient(_channel!);

        (await health.CheckAsync(new HealthCheckRequest { Service = EchoName })).Status.Should().Be(ServingStatus.NotServing);
        (await health.CheckAsync(new HealthCheckRequest { Service = "" })).Status.Should().Be(ServingStatus.Serving, "the server itself still serves");
        (await health.CheckAsync(new HealthCheckRequest { Service = "grpc.health.v1.Health" })).Status.Should().Be(ServingStatus.Serving);

        await using var watch = health.WatchAsync(new HealthCheckRequest { Service = EchoName }).GetAsyncEnumerator();
        (await watch.MoveNextAsync()).Should().BeTrue();
        watch.Current.Status.Should().Be(ServingStatus.NotServing);
    }

    [Fact]
    public async Task Calls_to_the_failed_module_are_unavailable_over_the_network_and_in_process()
    {
        var network = () => new EchoClient(_channel!).UnaryAsync(new EchoRequest { Text = "còn đó không?" });
        var status = (await network.Should().ThrowAsync<RpcException>()).Which.Status;
        status.StatusCode.Should().Be(StatusCode.Unavailable);
        status.Detail.Should().StartWith("Dịch vụ 'dangvu.rpctest.v1.Echo' ngừng phục vụ").And.NotContain("secret");

        var invoker = _app!.Services.GetRequiredService<IInProcessChannelFactory>().CreateInvoker(new ClaimsPrincipal(new ClaimsIdentity()));
        var inProcess = () => new EchoClient(invoker).UnaryAsync(new EchoRequest { Text = "nội bộ" });
        (await inProcess.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static ModuleEntry Entry(string id, IModule module)
    {
        var entry = new ModuleEntry(id, Path.GetTempPath(), null);
        entry.MarkLoaded(module, new ModuleContext(id, id, id, new Version(1, 0, 0), Path.GetTempPath(), "node"));
        return entry;
    }

    private sealed class BindsThenThrows : IModule
    {
        public void ConfigureServices(IModuleBuilder module)
        {
        }

        public void MapEndpoints(IModuleEndpoints endpoints)
        {
            endpoints.Routes.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
            throw new InvalidOperationException("secret: failed after binding");
        }
    }
}
