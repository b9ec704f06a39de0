using DangVu.Core.Abstractions.Organisation;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// The receiving side of a letter another node sent (the letter and the member file are
/// read-only replicas here): its confirmation takes the file over — this node becomes its origin,
/// the version line continuing — and writes the handover record that federation carries back to
/// the sending node and to every node on the way.
/// </summary>
internal sealed class CrossNodeTransfer(MemberAccess access, INodeScope node)
{
    /// <summary>
    /// Any letter, from this node or another, is confirmed only at the node keeping the receiving
    /// chi bộ: not at an ancestor holding a copy, nor for a chi bộ a child node was approved for.
    /// </summary>
    public async Task EnsureKeptHereAsync(TransferLetterRecord letter, CancellationToken cancellationToken)
    {
        if (!await node.KeepsAsync(letter.ToOrgUnitId, cancellationToken))
        {
            throw Refuse.Rule("transfer.not-addressed-here",
                $"Giấy giới thiệu {letter.LetterNumber} gửi đến chi bộ {letter.ToOrgCode}, không thuộc nút này; chỉ nút quản lý chi bộ nhận mới xác nhận được. Không có gì được lưu.",
                $"Letter {letter.LetterNumber} is addressed to {letter.ToOrgCode}, which this node does not keep; only the node keeping the receiving chi bộ confirms it. Nothing was saved.");
        }
    }

    /// <summary>Confirms <paramref name="letter"/> (authorized, dates and node checked by the caller); returns it as confirmed.</summary>
    public async Task<TransferLetterRecord> ConfirmAsync(TransferLetterRecord letter, DateOnly receivedOn, CancellationToken cancellationToken)
    {
        var db = access.Db;
        if (letter.Kind == TransferKind.Temporary)
        {
            throw Refuse.Rule("transfer.cross-node-temporary",
                "Chưa hỗ trợ chuyển sinh hoạt tạm thời giữa hai nút; hồ sơ vẫn do chi bộ gửi quản lý.",
                "Temporary transfers between nodes are not supported yet; the sending chi bộ keeps the file.");
        }

        if (await db.Handovers.AnyAsync(h => h.LetterId == letter.Id, cancellationToken))
        {
            throw Refuse.Rule("transfer.already-received", "Giấy giới thiệu này đã được xác nhận.", "This letter was already confirmed.");
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.Id == letter.MemberId, cancellationToken);
        if (member is null || member.OriginNode != letter.OriginNode)
        {
            throw Refuse.Rule("transfer.file-not-arrived",
                "Hồ sơ đảng viên chưa về đến nút này (hãy đồng bộ rồi thử lại). Không có gì được lưu.",
                "The member file has not reached this node yet (sync, then try again). Nothing was saved.");
        }

        var handover = new HandoverRecord
        {
            LetterId = letter.Id,
            MemberId = member.Id,
            OwnerOrgUnitId = letter.ToOrgUnitId,
            Classification = member.Classification,
            FromNode = letter.OriginNode,
            ToNode = db.NodeId,
            FromOrgCode = letter.FromOrgCode,
            ToOrgCode = letter.ToOrgCode,
            ReceivedOn = receivedOn,
            ReceivedLate = receivedOn > letter.PresentDeadline,
            MemberVersion = member.Version + 1,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The handover first, so it precedes the taken-over file in this node's feed: every node
            // on the way re-owns its copy before the new owner's version arrives.
            db.Handovers.Add(handover);
            await access.SaveAsync(cancellationToken);

            db.ChangeOrigin(member, db.NodeId);
            member.JoinCell(letter.ToOrgUnitId);
            access.Record(member,
                "transfer-received",
                $"Chi bộ nhận xác nhận giấy giới thiệu {letter.LetterNumber} của {letter.FromOrgCode} (nút '{letter.OriginNode}') ngày {receivedOn:dd/MM/yyyy}; hồ sơ do nút này quản lý từ nay"
                    + (handover.ReceivedLate ? $" (quá hạn {letter.PresentDeadline:dd/MM/yyyy})" : ""),
                "",
                new { letterId = letter.Id, from = letter.FromOrgCode, to = letter.ToOrgCode, fromNode = letter.OriginNode });
            db.Publish(Handed(letter, handover, member.FullName));
            await access.SaveAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // The letter stays the sender's record here; the caller sees it as confirmed.
        db.Entry(letter).State = EntityState.Detached;
        letter.State = TransferState.Received;
        letter.ReceivedOn = receivedOn;
        letter.ReceivedLate = handover.ReceivedLate;
        return letter;
    }

    /// <summary>The integration event of a handover, at either end.</summary>
    public static V1.MemberHandedOver Handed(TransferLetterRecord letter, HandoverRecord handover, string memberFullName)
    {
        var contract = letter.ToContract(memberFullName);
        contract.ReceivedOn = handover.ReceivedOn.ToContract();
        contract.ReceivedLate = handover.ReceivedLate;
        return new V1.MemberHandedOver { Letter = contract, FromNode = handover.FromNode, ToNode = handover.ToNode, MemberVersion = handover.MemberVersion };
    }
}
