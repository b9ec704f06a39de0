using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace DangVu.Core.Hosting;

/// <summary>
/// Where the node listens: the web (HTTP/1.1) on <c>Urls</c>, gRPC on <c>Grpc:Urls</c>
/// (HTTP/2 only, because cleartext HTTP/2 needs prior knowledge and cannot share a port with HTTP/1.1).
/// </summary>
internal static class ListenAddresses
{
    public const string DefaultWeb = "http://127.0.0.1:5080";
    public const string DefaultGrpc = "http://127.0.0.1:5081";

    /// <param name="grpcCertificate">
    /// The node's TLS certificate for <c>https://</c> gRPC addresses (node-to-node calls): client
    /// certificates are asked for but optional at the TLS level; the services check them.
    /// </param>
    public static void Configure(KestrelServerOptions kestrel, string webUrls, string grpcUrls, Func<X509Certificate2?>? grpcCertificate = null)
    {
        foreach (var url in Split(webUrls))
        {
            // Cleartext HTTP/2 needs prior knowledge, which browsers do not use: plain HTTP/1.1 here.
            Listen(kestrel, url, HttpProtocols.Http1, "Urls", null);
        }

        foreach (var url in Split(grpcUrls))
        {
            Listen(kestrel, url, HttpProtocols.Http2, "Grpc:Urls", grpcCertificate);
        }
    }

    private static IEnumerable<string> Split(string urls) =>
        urls.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void Listen(KestrelServerOptions kestrel, string url, HttpProtocols protocols, string setting, Func<X509Certificate2?>? certificate)
    {
        var tls = certificate is not null && url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (tls)
        {
            url = "http://" + url["https://".Length..];
        }

        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttp || uri.Port <= 0)
        {
            throw new InvalidDataException(
                $"{setting}: địa chỉ '{url}' không hợp lệ; viết như http://127.0.0.1:5080; gRPC nhận cả https:// sau 'dangvu federation init' " +
                $"({setting}: '{url}' is not a valid listen address; write it like http://127.0.0.1:5080; gRPC also takes https:// after 'dangvu federation init')");
        }

        var serverCertificate = tls
            ? certificate!() ?? throw new InvalidDataException(
                $"{setting}: '{url}' cần chứng chỉ TLS của nút; chạy 'dangvu federation init' trước ({setting}: an https address needs the node's TLS certificate; run 'dangvu federation init' first)")
            : null;

        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            if (serverCertificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = serverCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }

        if (uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(uri.Port, Configure);
        }
        else if (IPAddress.TryParse(uri.Host, out var address))
        {
            kestrel.Listen(address, uri.Port, Configure);
        }
        else
        {
            throw new InvalidDataException(
                $"{setting}: '{uri.Host}' phải là địa chỉ IP hoặc localhost ({setting}: '{uri.Host}' must be an IP address or localhost)");
        }
    }
}
