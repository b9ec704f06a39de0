using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DangVu.Contracts.Federation.V1;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Federation.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Core.Federation;

/// <summary><c>dangvu.federation.v1.Enrolment</c>: a child asks to enrol, then fetches its certificate with the one-time code.</summary>
internal sealed class EnrolmentService(FederationDbContext db, NodeKeys keys, TimeProvider clock)
{
    public async Task<EnrolmentTicket> RequestEnrolment(EnrolmentRequest request, ServerCallContext context)
    {
        if (!keys.Initialised)
        {
            throw new RuleViolationException("federation.not-initialised",
                "Nút cha chưa khởi tạo liên kết (dangvu federation init)", "the parent has not run 'dangvu federation init'");
        }

        if (request.NodeId.Length is 0 or > 64)
        {
            throw new InvalidArgumentException("node_id", "Mã nút không hợp lệ", "node_id must be 1 to 64 characters");
        }

        string commonName;
        try
        {
            var csr = CertificateRequest.LoadSigningRequest(request.Csr.ToByteArray(), HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            commonName = csr.SubjectName.GetCommonName();
        }
        catch (CryptographicException)
        {
            throw new InvalidArgumentException("csr", "Yêu cầu ký chứng chỉ không hợp lệ", "csr is not a valid PKCS#10 request");
        }

        if (commonName != request.NodeId)
        {
            throw new InvalidArgumentException("csr", "Yêu cầu ký không mang mã nút", "the csr's common name must be the node id");
        }

        var record = new EnrolmentRecord
        {
            Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)),
            NodeId = request.NodeId,
            Csr = request.Csr.ToByteArray(),
            Owns = string.Join(",", request.Owns),
            Address = context.Peer.Length > 64 ? context.Peer[..64] : context.Peer,
            State = EnrolmentState.Pending,
            RequestedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Enrolments.Add(record);
        db.Audit("federation.enrolment.requested", "enrolment", record.Id, request.NodeId);
        await db.SaveChangesAsync(context.CancellationToken);
        return new EnrolmentTicket { RequestId = record.Id };
    }

    public async Task<EnrolmentResult> FetchCertificate(FetchCertificateRequest request, ServerCallContext context)
    {
        var record = await db.Enrolments.SingleOrDefaultAsync(e => e.Id == request.RequestId, context.CancellationToken);
        if (record is null || record.State != EnrolmentState.Approved || record.CodeHash is null || record.Certificate is null
            || !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(record.CodeHash), HashCode(request.Code)))
        {
            throw new RpcException(StatusCode.PermissionDenied,
                "Mã dùng một lần sai, đã dùng, hoặc yêu cầu chưa được duyệt (the one-time code is wrong or used, or the request is not approved)");
        }

        record.State = EnrolmentState.Collected;
        record.CodeHash = null;
        db.Audit("federation.enrolment.collected", "enrolment", record.Id, record.NodeId);
        await db.SaveChangesAsync(context.CancellationToken);
        using var ca = keys.LoadCaCertificate();
        return new EnrolmentResult
        {
            Certificate = Google.Protobuf.ByteString.CopyFrom(record.Certificate),
            CaCertificate = Google.Protobuf.ByteString.CopyFrom(ca.RawData),
            ParentNodeId = keys.NodeId,
            Subtree = record.Subtree ?? "",
            Network = record.Network == Storage.NetworkClass.Internet ? Contracts.Federation.V1.NetworkClass.Internet : Contracts.Federation.V1.NetworkClass.Internal,
        };
    }

    public static byte[] HashCode(string code) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(code.Trim().ToUpperInvariant()));
}
