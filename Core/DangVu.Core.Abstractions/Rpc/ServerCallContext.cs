using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;

namespace DangVu.Core.Abstractions.Rpc;

/// <summary>What a server-side handler knows about the call it is serving.</summary>
public abstract class ServerCallContext
{
    /// <summary>The full method name, <c>/package.Service/Method</c>.</summary>
    public abstract string Method { get; }

    /// <summary>The caller's address, such as <c>ipv4:127.0.0.1:50123</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>UTC; <see cref="DateTime.MaxValue"/> without a deadline.</summary>
    public abstract DateTime Deadline { get; }

    public abstract Metadata RequestHeaders { get; }

    /// <summary>Trailers sent with the status when the call ends.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>Fires when the client cancels, the deadline passes or the connection drops.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>The status sent when the handler returns normally; OK unless set.</summary>
    public abstract Status Status { get; set; }

    /// <summary>The authenticated caller (a person by bearer token, another node by certificate).</summary>
    public abstract ClaimsPrincipal User { get; }

    /// <summary>The TLS client certificate, when the caller presented one.</summary>
    public abstract X509Certificate2? ClientCertificate { get; }

    /// <summary>The request's services (scoped to the call).</summary>
    public abstract IServiceProvider Services { get; }

    /// <summary>Sends the response headers now, with these entries, before the first message.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);

    /// <summary>
    /// The encoding of the response messages written from now on: <c>"gzip"</c>, or null for none.
    /// Honoured only when the client accepts it; set it before the first message to announce it.
    /// </summary>
    public abstract string? ResponseCompression { get; set; }

    /// <summary>Whether the last request message read arrived compressed on the wire.</summary>
    public abstract bool LastRequestCompressed { get; }
}
