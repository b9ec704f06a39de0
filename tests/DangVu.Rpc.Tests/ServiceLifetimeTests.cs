using System.Net;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Core.Rpc.Server;
using DangVu.Rpc.Tests.Proto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DangVu.Rpc.Tests;

/// <summary>
/// A bound service lives as it is registered: a singleton is shared by every call, a scoped
/// service (a module's, holding its DbContext) is made for each call and disposed with it, and a
/// class not registered at all is made per call.
/// </summary>
public sealed class ServiceLifetimeTests
{
    private sealed class Instances
    {
        private int _next;

        public int Created => _next;

        public int Disposed;

        public int Next() => Interlocked.Increment(ref _next);
    }

    /// <summary>Answers every method with the number of its own instance.</summary>
    private sealed class CountingEcho(Instances instances) : IDisposable
    {
        private readonly int _number = instances.Next();

        public Task<EchoReply> Unary(EchoRequest request, ServerCallContext context) =>
            Task.FromResult(new EchoReply { Index = _number });

        // "nulltask": a broken handler that returns no task at all.
        public Task<EchoReply> Mutate(EchoRequest request, ServerCallContext context) =>
            request.FailWith == "nulltask" ? null! : Unary(request, context);

        public Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context) =>
            responses.WriteAsync(new EchoReply { Index = _number });

        public Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context) =>
            Task.FromResult(new EchoReply { Index = _number });

        public Task Bidi(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context) =>
            responses.WriteAsync(new EchoReply { Index = _number });

        public void Dispose() => Interlocked.Increment(ref instances.Disposed);
    }

    [Theory]
    [InlineData(ServiceLifetime.Singleton, new[] { 1, 1, 1 })]
    [InlineData(ServiceLifetime.Scoped, new[] { 1, 2, 3 })]
    [InlineData(ServiceLifetime.Transient, new[] { 1, 2, 3 })]
    public async Task A_registered_service_lives_as_registered(ServiceLifetime lifetime, int[] expected)
    {
        var instances = new Instances();
        await using var app = await StartAsync(instances, services => services.Add(new ServiceDescriptor(typeof(CountingEcho), typeof(CountingEcho), lifetime)));
        var numbers = await CallThriceAsync(app);

        numbers.Should().Equal(expected);
        if (lifetime != ServiceLifetime.Singleton)
        {
            instances.Disposed.Should().Be(3, "each call's scope disposes the instance it made");
        }
    }

    [Fact]
    public async Task An_unregistered_service_is_made_and_disposed_per_call()
    {
        var instances = new Instances();
        await using var app = await StartAsync(instances, _ => { });
        var numbers = await CallThriceAsync(app);

        numbers.Should().Equal(1, 2, 3);
        instances.Disposed.Should().Be(3);
    }

    [Fact]
    public async Task The_last_registration_of_a_service_decides_its_lifetime()
    {
        var instances = new Instances();
        await using var app = await StartAsync(instances, services =>
        {
            services.AddSingleton<CountingEcho>();
            services.AddScoped<CountingEcho>();
        });

        (await CallThriceAsync(app)).Should().Equal(1, 2, 3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_handler_returning_no_task_is_internal_and_the_service_keeps_serving(bool singleton)
    {
        var instances = new Instances();
        await using var app = await StartAsync(instances, services =>
        {
            if (singleton)
            {
                services.AddSingleton<CountingEcho>();
            }
        });
        using var channel = GrpcChannel.ForAddress(app.Urls.First());
        var client = new EchoClient(channel);

        var act = () => client.MutateAsync(new EchoRequest { FailWith = "nulltask" });
        var error = (await act.Should().ThrowAsync<RpcException>()).Which;
        error.StatusCode.Should().Be(StatusCode.Internal);
        error.Status.Detail.Should().Contain("correlation id");
        (await client.MutateAsync(new EchoRequest())).Index.Should().BePositive();
    }

    private static async Task<int[]> CallThriceAsync(WebApplication app)
    {
        var address = app.Urls.First();
        using var channel = GrpcChannel.ForAddress(address);
        var client = new EchoClient(channel);
        var numbers = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await client.UnaryAsync(new EchoRequest())).Index);
        }

        return [.. numbers];
    }

    private static async Task<WebApplication> StartAsync(Instances instances, Action<IServiceCollection> register)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpcTransport();
        builder.Services.AddSingleton(instances);
        register(builder.Services);
        var app = builder.Build();
        app.MapGrpcTransport();
        app.MapGrpcService<CountingEcho>(EchoReflection.Descriptor.Services[0]);
        await app.StartAsync();
        return app;
    }
}
