using System.Text.Json;
using DangVu.Core.Abstractions.Federation;
using DangVu.Core.Abstractions.Organisation;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Federation;

/// <summary>
/// What a node does with transfer letters and handovers another node sent: letters get this
/// node's organisation ids; a handover moves this node's copy of the member file to its new owner
/// (an explicit change of origin, never a second owner): above the receiving chi bộ the new
/// owner's version then replaces it; at the sender and its ancestors that are not above the
/// receiver it stays as transferred-out history. The sending node also closes its letter.
/// </summary>
internal sealed class HandoverFollower(MembersDbContext db, IOrganisationDirectory directory, INodeScope node)
{
    /// <summary>What gives <paramref name="letters"/> (incoming replicas) this node's organisation ids: ids are local, the codes travel.</summary>
    public async Task<Action<TransferLetterRecord>> LetterLocalizerAsync(IReadOnlyList<IncomingReplica> letters, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var letter in Read<TransferLetterRecord>(letters))
        {
            foreach (var code in new[] { letter.FromOrgCode, letter.ToOrgCode }.Where(c => !ids.ContainsKey(c)))
            {
                ids[code] = await IdOfAsync(code, cancellationToken) ?? Guid.Empty;
            }
        }

        return letter =>
        {
            letter.FromOrgUnitId = ids.GetValueOrDefault(letter.FromOrgCode);
            letter.ToOrgUnitId = ids.GetValueOrDefault(letter.ToOrgCode);
        };
    }

    /// <summary>
    /// Incoming handovers: this node's copy of each file follows its new owner. Only a copy still of
    /// the old owner changes, so a replayed handover does nothing. Call before the batch's member files are staged.
    /// </summary>
    public async Task FollowAsync(IReadOnlyList<IncomingReplica> handovers, CancellationToken cancellationToken)
    {
        foreach (var handover in Read<HandoverRecord>(handovers))
        {
            var member = await db.Members.SingleOrDefaultAsync(m => m.Id == handover.MemberId, cancellationToken);
            if (member is null || member.OriginNode != handover.FromNode)
            {
                continue; // never had the file, or already follows the new owner
            }

            db.ChangeOrigin(member, handover.ToNode);
            // Below the new owner's first version, so that its record replaces this copy when it comes.
            member.Version = Math.Min(member.Version, handover.MemberVersion - 1);
            member.TransferToOrgCode = "";
            if (await IdOfAsync(handover.ToOrgCode, cancellationToken) is { } to && await node.OwnsAsync(to, cancellationToken))
            {
                // An ancestor of the receiving chi bộ: the new owner's file comes here and replaces this copy.
                member.OwnerOrgUnitId = to;
            }
            else
            {
                // The sender and the nodes above it only: the file stays as history of the sending chi bộ, read-only.
                member.Status = MemberStatus.TransferredOut;
                member.PreviousStatus = null;
            }
        }
    }

    /// <summary>
    /// At the sending node: its letters another node confirmed are closed with the receipt, and
    /// the member's timeline says where the file went. Idempotent (only letters still sent).
    /// </summary>
    public async Task CloseOwnLettersAsync(CancellationToken cancellationToken)
    {
        var node = db.NodeId;
        var open = await (from letter in db.Transfers
                          join handover in db.Handovers on letter.Id equals handover.LetterId
                          where letter.State == TransferState.Sent && letter.OriginNode == node
                          select new { letter, handover }).ToListAsync(cancellationToken);
        if (open.Count == 0)
        {
            return;
        }

        foreach (var (letter, handover) in open.Select(o => (o.letter, o.handover)))
        {
            letter.State = TransferState.Received;
            letter.ReceivedOn = handover.ReceivedOn;
            letter.ReceivedLate = handover.ReceivedLate;
            var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == letter.MemberId, cancellationToken);
            var to = (await directory.FindByCodeAsync(handover.ToOrgCode, cancellationToken))?.NameVi ?? handover.ToOrgCode;
            db.History.Add(MemberAccess.NewEntry(member,
                "transfer-handed-over",
                $"{to} (nút '{handover.ToNode}') xác nhận giấy giới thiệu {letter.LetterNumber} ngày {handover.ReceivedOn:dd/MM/yyyy}"
                    + (handover.ReceivedLate ? $" (quá hạn {letter.PresentDeadline:dd/MM/yyyy})" : "")
                    + "; hồ sơ đã bàn giao, ở đây chỉ còn lịch sử",
                "",
                new { letterId = letter.Id, to = handover.ToOrgCode, toNode = handover.ToNode, handover.MemberVersion }));
            db.Publish(new V1.MemberTransferred { Letter = letter.ToContract(member.FullName) });
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private static IEnumerable<T> Read<T>(IReadOnlyList<IncomingReplica> replicas) =>
        replicas.Where(r => !r.Deleted).Select(r => JsonSerializer.Deserialize<T>(r.Payload.Span)).OfType<T>();

        private async Task<Guid?> IdOfAsync(string code, CancellationToken cancellationToken) =>
        code.Length == 0 ? null : (await directory.FindByCodeAsync(code, cancellationToken))?.Id;
}
