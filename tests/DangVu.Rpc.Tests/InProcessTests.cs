using System.Security.Claims;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Rpc.Tests.Proto;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Rpc.Tests;

/// <summary>A module calling another module's service through its contract, without a socket.</summary>
[Collection(TestServerCollection.Name)]
public sealed class InProcessTests(TestServer server)
{
    private ServiceClient Client(string caller = "nguyen.van.a") =>
        new(server.Services.GetRequiredService<IInProcessChannelFactory>()
                .CreateInvoker(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, caller)], "test"))),
            EchoReflection.Descriptor.Services[0]);

    [Fact]
    public async Task Unary_call_reaches_the_bound_service_as_the_caller()
    {
        var reply = await Client("tran.thi.b").UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Text = "nội bộ" });
        reply.Text.Should().Be("nội bộ");
        reply.Caller.Should().Be("tran.thi.b");
    }

    [Fact]
    public async Task Streams_work_in_process()
    {
        var count = 0;
        await foreach (var _ in Client().ServerStreamingAsync<EchoRequest, EchoReply>("ServerStream", new EchoRequest { Count = 100 }))
        {
            count++;
        }

        count.Should().Be(100);
        var reply = await Client().ClientStreamingAsync<EchoRequest, EchoReply>("ClientStream", [new EchoRequest { Text = "a" }, new EchoRequest { Text = "b" }]);
        reply.Text.Should().Be("a,b");
    }

    [Fact]
    public async Task Errors_map_to_statuses_as_over_the_network()
    {
        var act = () => Client().UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { FailWith = "notfound" });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
        var boom = () => Client().UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { FailWith = "boom" });
        (await boom.Should().ThrowAsync<RpcException>()).Which.Status.Detail.Should().NotContain("secret");
    }

    [Fact]
    public async Task Deadline_applies_in_process()
    {
        var act = () => Client().UnaryAsync<EchoRequest, EchoReply>("Mutate", new EchoRequest { DelayMs = 5000 },
            CallOptions.Default.WithTimeout(TimeSpan.FromMilliseconds(100)));
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.DeadlineExceeded);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented_in_process()
    {
        var invoker = Client().Invoker;
        var act = () => invoker.UnaryAsync(new Method<EchoRequest, EchoReply>(MethodType.Unary, "x.Y", "Z"), new EchoRequest());
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unimplemented);
    }
}
