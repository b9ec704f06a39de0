using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Federation.Storage;
using DangVu.Core.Hosting;
using DangVu.Core.Platform;
using DangVu.Core.Rpc.Client;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation;

/// <summary>The administrator's federation operations, on both sides of a link (the CLI calls these).</summary>
internal sealed class FederationAdmin(FederationDbContext db, NodeKeys keys, OrganisationDirectory directory, DangVuInstallation installation, TimeProvider clock)
{
    private const string CodeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Pending enrolment requests at this (parent) node.</summary>
    public Task<List<EnrolmentRecord>> RequestsAsync(CancellationToken cancellationToken) =>
        db.Enrolments.Where(e => e.State == EnrolmentState.Pending).OrderBy(e => e.RequestedAt).ToListAsync(cancellationToken);

    /// <summary>Signs the request with this node's CA, records the child link and returns the one-time code.</summary>
    public async Task<string> ApproveAsync(string requestId, string subtree, Storage.NetworkClass network, CancellationToken cancellationToken)
    {
        var record = await db.Enrolments.SingleOrDefaultAsync(e => e.Id == requestId.Trim().ToUpperInvariant(), cancellationToken)
            ?? throw new NotFoundException($"Không có yêu cầu '{requestId}'", $"there is no enrolment request '{requestId}'");
        if (record.State != EnrolmentState.Pending)
        {
            throw new RuleViolationException("federation.enrolment-state",
                $"Yêu cầu '{record.Id}' đã được xử lý", $"request '{record.Id}' was already handled");
        }

        if (await directory.FindByCodeAsync(subtree, cancellationToken) is null)
        {
            throw new InvalidArgumentException("subtree",
                $"Không có tổ chức mã '{subtree}' (nhập cây tổ chức trước)", $"there is no organisation with code '{subtree}' (import the tree first)");
        }

        using var certificate = keys.SignChildRequest(record.Csr, record.NodeId);
        var code = string.Concat(Enumerable.Range(0, 12).Select(_ => CodeAlphabet[RandomNumberGenerator.GetInt32(CodeAlphabet.Length)]));
        record.State = EnrolmentState.Approved;
        record.Subtree = subtree;
        record.Network = network;
        record.Certificate = certificate.RawData;
        record.CodeHash = Convert.ToHexString(EnrolmentService.HashCode(code));

        var link = await db.Links.SingleOrDefaultAsync(l => l.NodeId == record.NodeId, cancellationToken);
        if (link is null)
        {
            link = new FederationLink { NodeId = record.NodeId, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.Links.Add(link);
        }

        link.Role = LinkRole.Child;
        link.State = LinkState.Active;
        link.Subtree = subtree;
        link.Network = network;
        link.CertificateThumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        db.Audit("federation.enrolment.approved", "link", record.NodeId, $"{subtree} {network}");
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    /// <summary>Refuses the child from now on: its certificate is no longer accepted.</summary>
    public async Task RevokeAsync(string nodeId, CancellationToken cancellationToken)
    {
        var link = await db.Links.SingleOrDefaultAsync(l => l.NodeId == nodeId && l.Role == LinkRole.Child, cancellationToken)
            ?? throw new NotFoundException($"Không có nút con '{nodeId}'", $"there is no child node '{nodeId}'");
        link.State = LinkState.Revoked;
        db.Audit("federation.revoked", "link", nodeId);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Moves a child's link to another network class. Classified records held back at the child
    /// are sent at its next sync once the link is internal (the child learns it with the checkpoint).
    /// </summary>
    public async Task ReclassifyAsync(string nodeId, Storage.NetworkClass network, CancellationToken cancellationToken)
    {
        var link = await db.Links.SingleOrDefaultAsync(l => l.NodeId == nodeId && l.Role == LinkRole.Child, cancellationToken)
            ?? throw new NotFoundException($"Không có nút con '{nodeId}'", $"there is no child node '{nodeId}'");
        link.Network = network;
        db.Audit("federation.reclassified", "link", nodeId, network.ToString());
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>At a child: sends the enrolment request to the parent and remembers it; returns the request id.</summary>
    public async Task<string> RequestAsync(string parentUrl, CancellationToken cancellationToken)
    {
        if (!keys.Initialised)
        {
            throw new RuleViolationException("federation.not-initialised",
                "Nút chưa có khoá: chạy 'dangvu federation init' trước", "the node has no keys: run 'dangvu federation init' first");
        }

        // A root keeps no copy of what only a relay up would read (ReplicaApplier.KeepsPayload).
        if (keys.IsRoot)
        {
            throw new RuleViolationException("federation.root",
                "Nút gốc là cấp trên cùng của cây, không có nút cha; một nút cấp dưới được khởi tạo bằng 'dangvu federation init' không có --root",
                "a root node is the top of the tree and has no parent; a lower node is initialised with 'dangvu federation init' without --root");
        }

        if (!Uri.TryCreate(parentUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidArgumentException("parent", "Địa chỉ nút cha phải là https://…", "the parent's address must be https://…");
        }

        if (await db.Links.AnyAsync(l => l.Role == LinkRole.Parent && l.State == LinkState.Active, cancellationToken))
        {
            throw new RuleViolationException("federation.has-parent",
                "Nút đã có nút cha đang hoạt động", "this node already has an active parent");
        }

        // The node has no trust in the parent yet: the TLS certificate is checked at 'accept',
        // against the CA the parent returns with the one-time code.
        using var channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions { ServerCertificateValidation = (_, _, _, _) => true });
        var client = new ServiceClient(channel, FederationReflection.Descriptor.Services[0]);
        var request = new EnrolmentRequest { NodeId = keys.NodeId, Csr = ByteString.CopyFrom(keys.CreateSigningRequest()) };
        request.Owns.AddRange(installation.OwnedOrgUnitCodes);
        var ticket = await client.UnaryAsync<EnrolmentRequest, EnrolmentTicket>("RequestEnrolment", request,
            CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)) with { CancellationToken = cancellationToken });

        await db.Links.Where(l => l.Role == LinkRole.Parent && l.State == LinkState.Pending).ExecuteDeleteAsync(cancellationToken);
        db.Links.Add(new FederationLink
        {
            NodeId = "pending:" + ticket.RequestId,
            Role = LinkRole.Parent,
            State = LinkState.Pending,
            Url = uri.ToString().TrimEnd('/'),
            RequestId = ticket.RequestId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return ticket.RequestId;
    }

    /// <summary>At a child: fetches the certificate with the one-time code and activates the parent link.</summary>
    public async Task<FederationLink> AcceptAsync(string code, CancellationToken cancellationToken)
    {
        var pending = await db.Links.SingleOrDefaultAsync(l => l.Role == LinkRole.Parent && l.State == LinkState.Pending, cancellationToken)
            ?? throw new RuleViolationException("federation.no-request",
                "Chưa gửi yêu cầu đến nút cha ('dangvu federation request --parent …')", "no enrolment request was sent ('dangvu federation request --parent …')");

        X509Certificate2? serverCertificate = null;
        using var channel = GrpcChannel.ForAddress(pending.Url!, new GrpcChannelOptions
        {
            ServerCertificateValidation = (_, certificate, _, _) =>
            {
                serverCertificate = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return true;
            },
        });
        var client = new ServiceClient(channel, FederationReflection.Descriptor.Services[0]);
        var result = await client.UnaryAsync<FetchCertificateRequest, EnrolmentResult>("FetchCertificate",
            new FetchCertificateRequest { RequestId = pending.RequestId!, Code = code },
            CallOptions.Default.WithTimeout(TimeSpan.FromSeconds(30)) with { CancellationToken = cancellationToken });

        using (var ca = X509CertificateLoader.LoadCertificate(result.CaCertificate.ToByteArray()))
        {
            if (serverCertificate is null || !FederationTrust.ChainsTo(serverCertificate, ca))
            {
                throw new RuleViolationException("federation.untrusted-parent",
                    "Chứng chỉ TLS của nút cha không do CA mà nó gửi ký; không nhận", "the parent's TLS certificate is not signed by the CA it sent; refused");
            }
        }

        serverCertificate.Dispose();
        keys.StoreIssued(result.Certificate.ToByteArray(), result.CaCertificate.ToByteArray());
        db.Links.Remove(pending);
        var link = new FederationLink
        {
            NodeId = result.ParentNodeId,
            Role = LinkRole.Parent,
            State = LinkState.Active,
            Url = pending.Url,
            Subtree = result.Subtree,
            Network = result.Network == Contracts.Federation.V1.NetworkClass.Internet ? Storage.NetworkClass.Internet : Storage.NetworkClass.Internal,
            RequestId = pending.RequestId,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Links.Add(link);
        db.Audit("federation.accepted", "link", link.NodeId, $"{link.Subtree} {link.Network}");
        await db.SaveChangesAsync(cancellationToken);
        return link;
    }

    public Task<List<FederationLink>> LinksAsync(CancellationToken cancellationToken) =>
        db.Links.AsNoTracking().OrderBy(l => l.Role).ThenBy(l => l.NodeId).ToListAsync(cancellationToken);
}
