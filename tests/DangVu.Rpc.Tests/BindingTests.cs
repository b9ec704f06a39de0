using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Server;
using DangVu.Rpc.Tests.Proto;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Rpc.Tests;

public sealed class BindingTests
{
    private sealed class MissingMethods
    {
        public Task<EchoReply> Unary(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply());
    }

    private sealed class WrongTypes
    {
        public Task<EchoRequest> Unary(EchoRequest request, ServerCallContext context) => Task.FromResult(request);

        public Task<EchoReply> Mutate(EchoRequest request, ServerCallContext context) => Task.FromResult(new EchoReply());

        public Task ServerStream(EchoRequest request, ServerCallContext context) => Task.CompletedTask;

        public Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context) => Task.FromResult(new EchoReply());

        public Task Bidi(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context) => Task.CompletedTask;
    }

    private static WebApplication App()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGrpcTransport();
        return builder.Build();
    }

    [Fact]
    public async Task Missing_methods_fail_the_bind_naming_service_method_and_expected_signature()
    {
        await using var app = App();
        var act = () => app.MapGrpcService<MissingMethods>(EchoReflection.Descriptor.Services[0]);

        var error = act.Should().Throw<GrpcBindingException>().Which;
        error.ServiceName.Should().Be("dangvu.rpctest.v1.Echo");
        error.Problems.Should().HaveCount(4);
        error.Message.Should().Contain("Mutate").And.Contain("Task<EchoReply> Mutate(EchoRequest, ServerCallContext)")
            .And.Contain("Task Bidi(IAsyncStreamReader<EchoRequest>, IServerStreamWriter<EchoReply>, ServerCallContext)");
    }

    [Fact]
    public async Task Wrong_types_fail_the_bind_with_found_and_expected_signatures()
    {
        await using var app = App();
        var act = () => app.MapGrpcService<WrongTypes>(EchoReflection.Descriptor.Services[0]);

        var error = act.Should().Throw<GrpcBindingException>().Which;
        error.Problems.Should().HaveCount(2);
        error.Problems[0].Should().Contain("found Task<EchoRequest> Unary(EchoRequest, ServerCallContext)")
            .And.Contain("expected: Task<EchoReply> Unary(EchoRequest, ServerCallContext)");
        error.Problems[1].Should().Contain("ServerStream");
    }

    [Fact]
    public async Task A_failed_bind_maps_no_endpoint_and_registers_nothing()
    {
        await using var app = App();
        var act = () => app.MapGrpcService<MissingMethods>(EchoReflection.Descriptor.Services[0]);
        act.Should().Throw<GrpcBindingException>();

        ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).Should().BeEmpty();
    }

    [Fact]
    public async Task Binding_a_service_twice_is_refused()
    {
        await using var app = App();
        app.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
        var act = () => app.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
        act.Should().Throw<InvalidOperationException>().WithMessage("*already bound*");
    }

    [Fact]
    public void Binding_without_the_transport_says_what_is_missing()
    {
        var app = WebApplication.CreateSlimBuilder().Build();
        var act = () => app.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
        act.Should().Throw<InvalidOperationException>().WithMessage("*AddGrpcTransport*");
    }
}
