using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DangVu.Interop.TestServer;

namespace DangVu.Interop.Tests;

/// <summary>
/// Our server over TLS and mutual TLS, certificates made here: grpc-js and grpcio connect with the
/// server's certificate as their root, with or without a client certificate, whose CN the server
/// reports back as the caller.
/// </summary>
public sealed class TlsInteropFixture : IAsyncLifetime
{
    public const string ClientName = "dang-uy-tinh-ha-noi";

    private readonly string _directory = Directory.CreateTempSubdirectory("dangvu-interop-tls-").FullName;
    private RunningInteropServer? _server;
    private X509Certificate2? _serverCertificate;

    public int Port => _server!.Port;

    public string CaFile => Path.Combine(_directory, "server.pem");

    public string ClientCertFile => Path.Combine(_directory, "client.pem");

    public string ClientKeyFile => Path.Combine(_directory, "client.key");

    public string DescriptorSetPath => Path.Combine(_directory, "testing.fds");

    public async Task InitializeAsync()
    {
        DescriptorSet.Write(DescriptorSetPath);
        using (var serverKey = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
            _serverCertificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
            await File.WriteAllTextAsync(CaFile, created.ExportCertificatePem());
        }

        using (var clientKey = RSA.Create(2048))
        {
            var request = new CertificateRequest($"CN={ClientName}", clientKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
            await File.WriteAllTextAsync(ClientCertFile, created.ExportCertificatePem());
            await File.WriteAllTextAsync(ClientKeyFile, clientKey.ExportPkcs8PrivateKeyPem());
        }

        _server = await InteropServer.StartAsync(0, CancellationToken.None, certificate: _serverCertificate);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _serverCertificate?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class TlsInteropTests(TlsInteropFixture server) : IClassFixture<TlsInteropFixture>
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "empty_unary", false }, { "large_unary", false }, { "ping_pong", false }, { "whoami", false },
        { "empty_unary", true }, { "large_unary", true }, { "server_streaming", true }, { "ping_pong", true }, { "whoami", true },
    };

    private string[] TlsArguments(bool mutual, string testCase) =>
    [
        "--server_host=127.0.0.1",
        $"--server_port={server.Port}",
        "--use_tls=true",
        $"--ca_file={server.CaFile}",
        .. mutual ? new[] { $"--cert_file={server.ClientCertFile}", $"--key_file={server.ClientKeyFile}", $"--expect_caller={TlsInteropFixture.ClientName}" } : [],
        $"--test_case={testCase}",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Grpc_js_client_over_tls_passes(string testCase, bool mutual)
    {
        if (!Prerequisites.Node())
        {
            return;
        }

        var run = await ExternalClient.RunAsync("node", ExternalClient.NodeClientDirectory, ["interop_client.js", .. TlsArguments(mutual, testCase)]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain($"PASS {testCase}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Grpcio_client_over_tls_passes(string testCase, bool mutual)
    {
        if (!Prerequisites.Grpcio())
        {
            return;
        }

        var run = await ExternalClient.RunAsync(Prerequisites.Python, ExternalClient.PythonClientDirectory,
            ["interop_client.py", $"--descriptor_set={server.DescriptorSetPath}", .. TlsArguments(mutual, testCase)]);
        run.ExitCode.Should().Be(0, run.ToString());
        run.StandardOutput.Should().Contain($"PASS {testCase}");
    }
}
