using System.Globalization;
using DangVu.Interop.TestServer;

// build/interop-server.sh --port N [--any-address] [--tls-pfx FILE [--tls-pfx-password P]]   (port 0: a free one, printed)
// build/interop-server.sh --descriptor-set-out FILE   (writes grpc/testing's FileDescriptorSet and exits)
var port = 50051;
var anyAddress = false;
string? pfx = null;
string? pfxPassword = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case var a when a.StartsWith("--port=", StringComparison.Ordinal):
            port = int.Parse(a["--port=".Length..], CultureInfo.InvariantCulture);
            break;
        case "--any-address":
            anyAddress = true;
            break;
        case "--tls-pfx" when i + 1 < args.Length:
            pfx = args[++i];
            break;
        case "--tls-pfx-password" when i + 1 < args.Length:
            pfxPassword = args[++i];
            break;
        case "--descriptor-set-out" when i + 1 < args.Length:
            DescriptorSet.Write(args[++i]);
            return 0;
        default:
            Console.Error.WriteLine("usage: interop-server --port N [--any-address] [--tls-pfx FILE [--tls-pfx-password P]] | --descriptor-set-out FILE");
            return 2;
    }
}

using var certificate = pfx is null ? null : System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(pfx, pfxPassword);
await using var server = await InteropServer.StartAsync(port, CancellationToken.None, anyAddress, certificate);
Console.WriteLine($"DangVu interop server listening on 127.0.0.1:{server.Port} ({(certificate is null ? "h2c" : "TLS")})");

// Ctrl+C and SIGTERM stop the host (its console lifetime); then the process ends.
await server.App.WaitForShutdownAsync();
return 0;
