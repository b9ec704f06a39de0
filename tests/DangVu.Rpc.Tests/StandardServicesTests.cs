using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Core.Rpc.Server;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace DangVu.Rpc.Tests;

[Collection(TestServerCollection.Name)]
public sealed class StandardServicesTests(TestServer server) : IDisposable
{
    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(server.Address);

    private HealthClient Health => new(_channel);

    [Theory]
    [InlineData("")]
    [InlineData("dangvu.rpctest.v1.Echo")]
    [InlineData("grpc.health.v1.Health")]
    public async Task Health_check_says_serving_for_the_server_and_each_bound_service(string service)
    {
        var response = await Health.CheckAsync(new HealthCheckRequest { Service = service });
        response.Status.Should().Be(ServingStatus.Serving);
    }

    [Fact]
    public async Task Health_check_of_an_unknown_service_is_not_found()
    {
        var act = () => Health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" });
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.NotFound);
    }

    [Fact]
    public async Task Health_watch_streams_the_current_status_then_changes()
    {
        var status = server.Services.GetRequiredService<GrpcHealthStatus>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = Health.WatchAsync(new HealthCheckRequest { Service = "watched.Service" }, new CallOptions { CancellationToken = cts.Token })
            .GetAsyncEnumerator(cts.Token);

        (await watch.MoveNextAsync()).Should().BeTrue();
        watch.Current.Status.Should().Be(ServingStatus.ServiceUnknown);
        status.Set("watched.Service", ServingStatus.NotServing);
        (await watch.MoveNextAsync()).Should().BeTrue();
        watch.Current.Status.Should().Be(ServingStatus.NotServing);
    }

    [Fact]
    public async Task Reflection_v1_lists_services_and_returns_the_file_with_its_imports()
    {
        var client = new ServiceClient(_channel, V1.ReflectionReflection.Descriptor.Services[0]);
        await using var call = client.Start<V1.ServerReflectionRequest, V1.ServerReflectionResponse>("ServerReflectionInfo");
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "*" });
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Should()
            .Contain(["dangvu.rpctest.v1.Echo", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "dangvu.rpctest.v1.EchoRequest" });
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        files.Select(f => f.Name).Should().Contain("echo.proto");

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "no.Such" });
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        call.ResponseStream.Current.ErrorResponse.ErrorCode.Should().Be((int)StatusCode.NotFound);
        await call.RequestStream.CompleteAsync();
        (await call.ResponseStream.MoveNext()).Should().BeFalse();
    }

    [Fact]
    public async Task Reflection_v1alpha_answers_like_v1()
    {
        var client = new ServiceClient(_channel, V1Alpha.ReflectionReflection.Descriptor.Services[0]);
        await using var call = client.Start<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>("ServerReflectionInfo");
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileByFilename = "grpc/health/v1/health.proto" });
        await call.RequestStream.CompleteAsync();
        (await call.ResponseStream.MoveNext()).Should().BeTrue();
        FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]).Package
            .Should().Be("grpc.health.v1");
    }

    public void Dispose() => _channel.Dispose();
}
