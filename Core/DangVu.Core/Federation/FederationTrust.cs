using System.Security.Cryptography.X509Certificates;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Federation.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation;

/// <summary>Certificate checks between nodes: chains to a given CA, and which child is calling.</summary>
internal static class FederationTrust
{
    /// <summary>True when <paramref name="certificate"/> is valid now and issued by <paramref name="ca"/> (no other roots trusted).</summary>
    public static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        return chain.Build(certificate)
            && chain.ChainElements.Count == 2
            && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(ca.RawDataMemory.Span);
    }

    /// <summary>
    /// The active child link of the node calling with a client certificate issued by this node's
    /// CA: UNAUTHENTICATED without such a certificate, PERMISSION_DENIED for an unknown, revoked or
    /// replaced one. Checked on every call, so a revocation takes effect at once.
    /// </summary>
    public static async Task<FederationLink> AuthenticateChildAsync(ServerCallContext context, NodeKeys keys, FederationDbContext db)
    {
        var certificate = context.ClientCertificate
            ?? throw new RpcException(StatusCode.Unauthenticated,
                "Cần chứng chỉ nút (mTLS) để đồng bộ (a node certificate is required: mutual TLS)");
        using var ca = keys.LoadCaCertificate();
        if (!ChainsTo(certificate, ca))
        {
            throw new RpcException(StatusCode.Unauthenticated,
                "Chứng chỉ nút không do nút này cấp hoặc đã hết hạn (the node certificate was not issued by this node or has expired)");
        }

        var nodeId = certificate.SubjectName.GetCommonName();
        var thumbprint = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var link = await db.Links.SingleOrDefaultAsync(l => l.NodeId == nodeId && l.Role == LinkRole.Child, context.CancellationToken);
        if (link is null || link.State != LinkState.Active || !string.Equals(link.CertificateThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.PermissionDenied, link?.State == LinkState.Revoked
                ? $"Nút '{nodeId}' đã bị thu hồi (node '{nodeId}' has been revoked)"
                : $"Nút '{nodeId}' không phải nút con đang hoạt động (node '{nodeId}' is not an active child)");
        }

        return link;
    }
}
