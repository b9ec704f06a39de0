using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Rpc.Server;
using DangVu.Rpc.Tests.Proto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DangVu.Rpc.Tests;

/// <summary>Real Kestrel on 127.0.0.1: h2c on one port, TLS (client certificates allowed) on another.</summary>
public sealed class TestServer : IAsyncLifetime
{
    private WebApplication? _app;

    public int Port { get; private set; }

    public int TlsPort { get; private set; }

    public EchoProbe Probe { get; } = new();

    public X509Certificate2 ServerCertificate { get; } = Certificates.Create("CN=localhost", serverAuth: true);

    public IServiceProvider Services => _app!.Services;

    public string Address => $"http://127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        Port = FreePort();
        TlsPort = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, Port, o => o.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Loopback, TlsPort, o =>
            {
                o.Protocols = HttpProtocols.Http1AndHttp2;
                o.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = ServerCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            });
        });
        builder.Services.AddGrpcTransport();
        builder.Services.AddSingleton(Probe);
        _app = builder.Build();
        _app.MapGrpcTransport();
        _app.MapGrpcService<EchoService>(EchoReflection.Descriptor.Services[0]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static int FreePort() => DangVu.Testing.TestPorts.Free();
}

[CollectionDefinition(Name)]
public sealed class TestServerCollection : ICollectionFixture<TestServer>
{
    public const string Name = "test server";
}

internal static class Certificates
{
    /// <summary>A self-signed certificate with its private key, usable by SslStream on Linux.</summary>
    public static X509Certificate2 Create(string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
        }

        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
