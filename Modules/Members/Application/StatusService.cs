using DangVu.Core.Abstractions.Events;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>Exemption from activities and its reversal, discipline, and leaving the Party.</summary>
internal sealed class StatusService(MemberAccess access)
{
    /// <summary>Miễn công tác và sinh hoạt đảng, on the member's request (age or health), for official members.</summary>
    public async Task<Member> ExemptAsync(ExemptMemberCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, command.ExpectedVersion, cancellationToken);
        if (member.Status == MemberStatus.Exempted)
        {
            throw Refuse.Rule("exemption.already-exempted", "Đảng viên đã được miễn công tác và sinh hoạt đảng.", "The member is already exempted.");
        }

        if (member.Status != MemberStatus.Official)
        {
            throw Refuse.Rule("exemption.official-only",
                $"Chỉ đảng viên chính thức được miễn công tác và sinh hoạt đảng; đảng viên này đang ở trạng thái \"{member.Status.Vi()}\".",
                $"Only official members can be exempted; this member is {member.Status}.");
        }

        if (!Enum.IsDefined(command.Reason))
        {
            throw Refuse.Field("reason", "Lý do miễn sinh hoạt phải là tuổi cao hoặc sức khỏe yếu.", "The reason is age or health.");
        }

        MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số quyết định");
        access.RequireNotFuture(command.DecisionDate, "decision_date");
        member.PreviousStatus = member.Status;
        member.Status = MemberStatus.Exempted;
        access.Record(member, "exempted",
            $"Miễn công tác và sinh hoạt đảng ({(command.Reason == ExemptionReason.Age ? "tuổi cao" : "sức khỏe yếu")}) theo quyết định {command.DecisionNumber.Trim()} ngày {command.DecisionDate:dd/MM/yyyy}",
            command.Note);
        access.Db.Publish(new V1.MemberExempted
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            Reason = (V1.ExemptionReason)(int)command.Reason,
            DecisionDate = command.DecisionDate.ToContract(),
        });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    public async Task<Member> EndExemptionAsync(EndExemptionCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, command.ExpectedVersion, cancellationToken);
        if (member.Status != MemberStatus.Exempted)
        {
            throw Refuse.Rule("exemption.not-exempted", "Đảng viên không ở trạng thái miễn sinh hoạt.", "The member is not exempted.");
        }

        access.RequireNotFuture(command.DecisionDate, "decision_date");
        member.Status = member.PreviousStatus ?? MemberStatus.Official;
        member.PreviousStatus = null;
        access.Record(member, "exemption-ended", $"Thôi miễn công tác và sinh hoạt đảng từ ngày {command.DecisionDate:dd/MM/yyyy}", command.Note);
        access.Db.Publish(new V1.MemberExemptionEnded
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            DecisionDate = command.DecisionDate.ToContract(),
        });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Records a discipline decision; expulsion (khai trừ) takes the member off the rolls.</summary>
    public Task<Member> RecordDisciplineAsync(RecordDisciplineCommand command, CancellationToken cancellationToken) =>
        RecordDisciplineAsync(command, trusted: false, cancellationToken);

    /// <summary><paramref name="trusted"/>: from the inspection module's event, already decided by the competent body.</summary>
    public async Task<Member> RecordDisciplineAsync(RecordDisciplineCommand command, bool trusted, CancellationToken cancellationToken)
    {
        var member = trusted
            ? await access.Db.Members.SingleOrDefaultAsync(m => m.Id == command.MemberId, cancellationToken) ?? throw Refuse.MemberNotFound(command.MemberId)
            : await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, 0, cancellationToken);
        if (!Enum.IsDefined(command.Form))
        {
            throw Refuse.Field("form", "Hình thức kỷ luật không hợp lệ.", "The discipline form is invalid.");
        }

        if (!member.Status.IsOnRolls())
        {
            throw Refuse.NotOnRolls(member.Status);
        }

        if (member.Status == MemberStatus.Probationary && command.Form is not (DisciplineForm.Reprimand or DisciplineForm.Warning))
        {
            throw Refuse.Rule("discipline.form-not-allowed",
                $"Đảng viên dự bị chỉ bị kỷ luật khiển trách hoặc cảnh cáo, không áp dụng \"{command.Form.Vi()}\".",
                $"Probationary members can only be reprimanded or warned, not given {command.Form}.");
        }

        MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số quyết định kỷ luật");
        access.RequireNotFuture(command.DecisionDate, "decision_date");
        access.Db.Disciplines.Add(new DisciplineRecord
        {
            MemberId = member.Id,
            OwnerOrgUnitId = member.OwnerOrgUnitId,
            Classification = member.Classification,
            Form = command.Form,
            DecisionNumber = command.DecisionNumber.Trim(),
            DecisionDate = command.DecisionDate,
            IssuedBy = (command.IssuedBy ?? "").Trim(),
            Reason = (command.Reason ?? "").Trim(),
        });
        if (command.Form == DisciplineForm.Expulsion)
        {
            member.Status = MemberStatus.Left;
            member.LeaveReason = LeaveReason.Expelled;
            member.LeftOn = command.DecisionDate;
            member.PreviousStatus = null;
        }

        access.Record(member, "disciplined",
            $"Kỷ luật {command.Form.Vi()} theo quyết định {command.DecisionNumber.Trim()} ngày {command.DecisionDate:dd/MM/yyyy}"
                + (string.IsNullOrWhiteSpace(command.IssuedBy) ? "" : $" của {command.IssuedBy.Trim()}"),
            command.Reason ?? "");
        access.Db.Publish(new V1.MemberDisciplined
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            Form = (V1.DisciplineForm)(int)command.Form,
            DecisionNumber = command.DecisionNumber.Trim(),
            DecisionDate = command.DecisionDate.ToContract(),
        });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Xóa tên, khai trừ, xin ra khỏi Đảng, từ trần.</summary>
    public async Task<Member> RecordLeavingAsync(RecordLeavingCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, command.ExpectedVersion, cancellationToken);
        if (!Enum.IsDefined(command.Reason))
        {
            throw Refuse.Field("reason", "Lý do ra khỏi Đảng không hợp lệ.", "The reason for leaving is invalid.");
        }

        if (!member.Status.IsOnRolls())
        {
            throw Refuse.NotOnRolls(member.Status);
        }

        if (command.Reason != LeaveReason.Deceased)
        {
            MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số quyết định");
        }

        access.RequireNotFuture(command.Date, "date");
        if (command.Date < member.AdmissionDate)
        {
            throw Refuse.Field("date", "Ngày ra khỏi Đảng không thể trước ngày kết nạp.", "Leaving cannot precede admission.");
        }

        member.PreviousStatus = null;
        member.LeaveReason = command.Reason;
        member.LeftOn = command.Date;
        member.Status = command.Reason == LeaveReason.Deceased ? MemberStatus.Deceased : MemberStatus.Left;
        access.Record(member, "left",
            $"Ra khỏi Đảng: {command.Reason.Vi()} ngày {command.Date:dd/MM/yyyy}"
                + (string.IsNullOrWhiteSpace(command.DecisionNumber) ? "" : $", quyết định {command.DecisionNumber.Trim()}"),
            command.Note);
        access.Db.Publish(new V1.MemberLeft
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            Reason = (V1.LeaveReason)(int)command.Reason,
            Date = command.Date.ToContract(),
        });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    public async Task<IReadOnlyList<DisciplineRecord>> DisciplinesAsync(Guid memberId, CancellationToken cancellationToken)
    {
        await access.LoadAsync(MembersPermissions.Read, memberId, 0, cancellationToken);
        return await access.Db.Disciplines.AsNoTracking().Where(d => d.MemberId == memberId).OrderBy(d => d.DecisionDate).ToListAsync(cancellationToken);
    }
}

/// <summary>Discipline decided elsewhere (the inspection module's <see cref="V1.DisciplineRecorded"/>).</summary>
internal sealed class DisciplineRecordedHandler(StatusService status, ILogger<DisciplineRecordedHandler> logger) : IIntegrationEventHandler<V1.DisciplineRecorded>
{
    public async Task HandleAsync(V1.DisciplineRecorded message, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(message.MemberId, out var memberId))
        {
            logger.LogWarning("Bỏ qua sự kiện kỷ luật {EventId}: mã đảng viên \"{MemberId}\" không hợp lệ (ignored: invalid member id)", context.EventId, message.MemberId);
            return;
        }

        var date = message.DecisionDate.ToDate("decision_date") ?? DateOnly.FromDateTime(context.OccurredAt);
        try
        {
            await status.RecordDisciplineAsync(
                new RecordDisciplineCommand(memberId, (DisciplineForm)(int)message.Form, message.DecisionNumber, date, message.IssuedBy, message.Reason),
                trusted: true,
                cancellationToken);
        }
        catch (Core.Abstractions.Errors.DangVuException ex)
        {
            // A decision this node cannot apply (member of another node, already left): logged, not retried forever.
            logger.LogWarning("Không áp dụng được sự kiện kỷ luật {EventId}: {Message}", context.EventId, ex.Message);
        }
    }
}
