using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Client;
using DangVu.Rpc.Tests.Proto;

namespace DangVu.Rpc.Tests;

/// <summary>TLS and mutual TLS with self-signed certificates made in the test.</summary>
[Collection(TestServerCollection.Name)]
public sealed class TlsTests(TestServer server)
{
    private GrpcChannel Channel(System.Security.Cryptography.X509Certificates.X509Certificate2? clientCertificate = null) =>
        GrpcChannel.ForAddress($"https://127.0.0.1:{server.TlsPort}", new GrpcChannelOptions
        {
            ServerCertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == server.ServerCertificate.GetCertHashString(),
            ClientCertificates = clientCertificate is null ? null : [clientCertificate],
        });

    [Fact]
    public async Task Call_over_tls_works_without_a_client_certificate()
    {
        using var channel = Channel();
        var reply = await new ServiceClient(channel, EchoReflection.Descriptor.Services[0])
            .UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Text = "tls" });
        reply.Text.Should().Be("tls");
        reply.Caller.Should().BeEmpty();
    }

    [Fact]
    public async Task Client_certificate_is_the_caller_identity()
    {
        using var certificate = Certificates.Create("CN=dang-uy-tinh-ha-noi", serverAuth: false);
        using var channel = Channel(certificate);
        var reply = await new ServiceClient(channel, EchoReflection.Descriptor.Services[0])
            .UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest { Text = "mtls" });
        reply.Caller.Should().Be("dang-uy-tinh-ha-noi");
    }

    [Fact]
    public async Task Server_certificate_not_trusted_makes_the_call_unavailable()
    {
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{server.TlsPort}", new GrpcChannelOptions { MaxRetryAttempts = 0 });
        var act = () => new ServiceClient(channel, EchoReflection.Descriptor.Services[0])
            .UnaryAsync<EchoRequest, EchoReply>("Unary", new EchoRequest());
        (await act.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.Unavailable);
    }
}
