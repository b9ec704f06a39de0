using DangVu.Core.Abstractions.Calendar;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// Chuyển sinh hoạt đảng: the sending chi bộ issues the letter (with the start and presentation
/// clocks of the rules), the receiving chi bộ confirms receipt. The letter (contract message
/// <see cref="V1.TransferLetter"/>) and the member file are addressed to the receiving chi bộ,
/// so a letter to another node's chi bộ reaches it through federation; its confirmation there is
/// a handover (<see cref="CrossNodeTransfer"/>).
/// </summary>
internal sealed class TransferService(MemberAccess access, RuleBook rules, IWorkingCalendar calendar, CrossNodeTransfer crossNode)
{
    public async Task<TransferLetterRecord> StartAsync(StartTransferCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, command.ExpectedVersion, cancellationToken);
        var timeline = await rules.TimelineAsync(cancellationToken);
        if (!Enum.IsDefined(command.Kind))
        {
            throw Refuse.Field("kind", "Hình thức chuyển sinh hoạt không hợp lệ.", "The transfer kind is invalid.");
        }

        if (member.Status == MemberStatus.InTransfer
            || await access.Db.Transfers.AnyAsync(t => t.MemberId == member.Id && t.State == TransferState.Sent, cancellationToken))
        {
            throw Refuse.Rule("transfer.already-pending",
                "Đảng viên đang có giấy giới thiệu sinh hoạt đảng chưa được bên nhận xác nhận.",
                "The member already has a transfer letter waiting for the receiving side.");
        }

        if (member.Status is not (MemberStatus.Probationary or MemberStatus.Official or MemberStatus.Exempted))
        {
            throw Refuse.NotOnRolls(member.Status);
        }

        MemberAccess.RequireText(command.LetterNumber, "letter_number", "số giấy giới thiệu");
        access.RequireNotFuture(command.LetterDate, "letter_date");
        if (command.LetterDate < command.DecisionDate)
        {
            throw Refuse.Field("letter_date", "Giấy giới thiệu không thể có ngày trước quyết định chuyển sinh hoạt.", "The letter cannot precede the decision.");
        }

        if (command.ToOrgUnitId == member.OwnerOrgUnitId)
        {
            throw Refuse.Field("to_org_unit_id", "Chi bộ nhận trùng với chi bộ hiện tại.", "The receiving chi bộ is the member's own.");
        }

        var to = await access.CellAsync(command.ToOrgUnitId, "to_org_unit_id", command.LetterDate, cancellationToken);
        if (command.Kind == TransferKind.Internal)
        {
            var from = (await access.AncestryAsync(member.OwnerOrgUnitId, cancellationToken)).Skip(1).FirstOrDefault();
            var toAncestry = await access.AncestryAsync(to.Id, cancellationToken);
            if (from is null || toAncestry.All(a => a.Id != from.Id))
            {
                throw Refuse.Rule("transfer.internal-other-committee",
                    "Chuyển sinh hoạt nội bộ chỉ trong cùng một đảng bộ; chi bộ nhận thuộc đảng bộ khác.",
                    "An internal transfer stays within the same Đảng bộ; the receiving chi bộ belongs to another.");
            }
        }

        var rule = timeline.At(command.DecisionDate);
        var startDeadline = (await calendar.GetAsync(cancellationToken)).AddWorkingDays(command.DecisionDate, rule.TransferStartWorkingDays);
        var letter = new TransferLetterRecord
        {
            MemberId = member.Id,
            OwnerOrgUnitId = member.OwnerOrgUnitId,
            Classification = member.Classification,
            Kind = command.Kind,
            LetterNumber = command.LetterNumber.Trim(),
            DecisionDate = command.DecisionDate,
            LetterDate = command.LetterDate,
            FromOrgUnitId = member.OwnerOrgUnitId,
            ToOrgUnitId = to.Id,
            FromOrgCode = (await access.AncestryAsync(member.OwnerOrgUnitId, cancellationToken))[0].Code,
            ToOrgCode = to.Code,
            StartDeadline = startDeadline,
            PresentDeadline = command.LetterDate.AddDays(rule.TransferPresentDays),
            StartedLate = command.LetterDate > startDeadline,
            State = TransferState.Sent,
            Reason = (command.Reason ?? "").Trim(),
        };
        access.Db.Transfers.Add(letter);
        if (command.Kind != TransferKind.Temporary)
        {
            member.PreviousStatus = member.Status;
            member.Status = MemberStatus.InTransfer;
            member.TransferToOrgCode = to.Code; // the file goes with the letter, to whichever node keeps the receiving chi bộ
        }

        access.Record(member,
            "transfer-started",
            $"Chuyển sinh hoạt đảng {command.Kind.Vi()} đến {to.NameVi}, giấy giới thiệu {letter.LetterNumber} ngày {letter.LetterDate:dd/MM/yyyy}; phải trình giấy trước {letter.PresentDeadline:dd/MM/yyyy}"
                + (letter.StartedLate ? $" (chậm: hạn bắt đầu {startDeadline:dd/MM/yyyy})" : ""),
            command.Reason ?? "",
            new { letterId = letter.Id, letter.Kind, to = to.Id });
        access.Db.Publish(new V1.MemberTransferStarted { Letter = letter.ToContract(member.FullName) });
        await access.SaveAsync(cancellationToken);
        return letter;
    }

    /// <summary>The receiving chi bộ confirms the member presented the letter; the member joins it.</summary>
    public async Task<TransferLetterRecord> ConfirmAsync(ConfirmTransferCommand command, CancellationToken cancellationToken)
    {
        var letter = await access.Db.Transfers.SingleOrDefaultAsync(t => t.Id == command.LetterId, cancellationToken)
            ?? throw new Core.Abstractions.Errors.NotFoundException($"Không tìm thấy giấy giới thiệu {command.LetterId}.", $"Transfer letter {command.LetterId} was not found.");
        await access.EnsureAllowedAsync(MembersPermissions.Lifecycle, letter.ToOrgUnitId, cancellationToken);
        if (letter.State != TransferState.Sent)
        {
            throw Refuse.Rule("transfer.already-received", "Giấy giới thiệu này đã được xác nhận.", "This letter was already confirmed.");
        }

        access.RequireNotFuture(command.ReceivedOn, "received_on");
        if (command.ReceivedOn < letter.LetterDate)
        {
            throw Refuse.Field("received_on", "Ngày nhận không thể trước ngày của giấy giới thiệu.", "Receipt cannot precede the letter.");
        }

        await crossNode.EnsureKeptHereAsync(letter, cancellationToken);
        if (letter.OriginNode.Length > 0 && letter.OriginNode != access.Db.NodeId)
        {
            return await crossNode.ConfirmAsync(letter, command.ReceivedOn, cancellationToken);
        }

        var member = await access.Db.Members.SingleAsync(m => m.Id == letter.MemberId, cancellationToken);
        letter.State = TransferState.Received;
        letter.ReceivedOn = command.ReceivedOn;
        letter.ReceivedLate = command.ReceivedOn > letter.PresentDeadline;
        if (letter.Kind == TransferKind.Temporary)
        {
            member.TemporaryOrgUnitId = letter.ToOrgUnitId;
        }
        else
        {
            member.JoinCell(letter.ToOrgUnitId);
        }

        access.Record(member,
            "transfer-received",
            $"Chi bộ nhận xác nhận giấy giới thiệu {letter.LetterNumber} ngày {command.ReceivedOn:dd/MM/yyyy}"
                + (letter.ReceivedLate ? $" (quá hạn {letter.PresentDeadline:dd/MM/yyyy})" : ""),
            "",
            new { letterId = letter.Id, from = letter.FromOrgUnitId, to = letter.ToOrgUnitId });
        access.Db.Publish(new V1.MemberTransferred { Letter = letter.ToContract(member.FullName) });
        await access.SaveAsync(cancellationToken);
        return letter;
    }

    /// <summary>Letters sent from or to the subtree and not yet confirmed; past the presentation deadline flagged.</summary>
    public async Task<IReadOnlyList<PendingTransfer>> PendingAsync(Guid orgUnitId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var units = await access.VisibleUnitsAsync(MembersPermissions.Read, orgUnitId, cancellationToken);
        var letters = await access.Db.Transfers.AsNoTracking()
            .Where(t => t.State == TransferState.Sent && (units.Contains(t.FromOrgUnitId) || units.Contains(t.ToOrgUnitId)))
            .Where(t => !access.Db.Handovers.Any(h => h.LetterId == t.Id)) // confirmed at another node, the sender not yet told
            .OrderBy(t => t.PresentDeadline)
            .ToListAsync(cancellationToken);
        var ids = letters.Select(l => l.MemberId).ToList();
        var names = await access.Db.Members.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.FullName, cancellationToken);
        return letters.Select(l => new PendingTransfer(l, names.GetValueOrDefault(l.MemberId, ""), asOf > l.PresentDeadline)).ToList();
    }
}
