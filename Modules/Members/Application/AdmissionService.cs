using System.Text.Json;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>Member files: entering existing ones, admission (kết nạp), profile edits and official recognition.</summary>
internal sealed class AdmissionService(MemberAccess access, RuleBook rules)
{
    /// <summary>Enters the file of a member admitted before the system was used (members.write).</summary>
    public async Task<Member> RegisterAsync(RegisterMemberCommand command, CancellationToken cancellationToken)
    {
        await access.EnsureAllowedAsync(MembersPermissions.Write, command.OrgUnitId, cancellationToken);
        var timeline = await rules.TimelineAsync(cancellationToken);
        await access.CellAsync(command.OrgUnitId, "org_unit_id", access.Today, cancellationToken);
        var profile = command.Profile.Validated(access.Today);
        if (command.Status is not (MemberStatus.Probationary or MemberStatus.Official))
        {
            throw Refuse.Field("status", "Hồ sơ nhập vào phải ở trạng thái dự bị hoặc chính thức; các trạng thái khác do thao tác nghiệp vụ tạo ra.",
                "An entered file is probationary or official; other statuses come from the life-cycle operations.");
        }

        MemberAccess.RequireText(command.AdmissionDecision, "admission_decision", "số quyết định kết nạp");
        access.RequireNotFuture(command.AdmissionDate, "admission_date");
        CheckCeremony(command.AdmissionDate, command.AdmissionCeremonyDate, "admission_ceremony_date");
        if (command.AdmissionDate <= profile.DateOfBirth)
        {
            throw Refuse.Field("admission_date", "Ngày kết nạp phải sau ngày sinh.", "The admission date must be after the date of birth.");
        }

        if (command.Status == MemberStatus.Official)
        {
            var official = command.OfficialDate ?? throw Refuse.Field("official_date", "Chưa nhập ngày công nhận chính thức.", "The official date is required.");
            var ends = command.AdmissionCeremonyDate.AddMonths(timeline.At(command.AdmissionCeremonyDate).ProbationMonths);
            if (official < ends)
            {
                throw ProbationIncomplete(ends);
            }

            access.RequireNotFuture(official, "official_date");
        }

        await access.EnsureUniqueAsync(profile, null, cancellationToken);
        var member = NewMember(command.OrgUnitId, profile);
        member.Status = command.Status;
        member.AdmissionDate = command.AdmissionDate;
        member.AdmissionDecision = command.AdmissionDecision.Trim();
        member.AdmissionCeremonyDate = command.AdmissionCeremonyDate;
        member.OfficialDate = command.Status == MemberStatus.Official ? command.OfficialDate : null;
        member.OfficialDecision = command.Status == MemberStatus.Official ? command.OfficialDecision?.Trim() : null;
        access.Db.Members.Add(member);
        access.Record(member, "registered", $"Nhập hồ sơ đảng viên ({member.Status.Vi()})");
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Kết nạp: a new probationary member, after the age and introducer checks of the rules in force.</summary>
    public async Task<Member> AdmitAsync(AdmitMemberCommand command, CancellationToken cancellationToken)
    {
        await access.EnsureAllowedAsync(MembersPermissions.Lifecycle, command.OrgUnitId, cancellationToken);
        var timeline = await rules.TimelineAsync(cancellationToken);
        await access.CellAsync(command.OrgUnitId, "org_unit_id", command.DecisionDate, cancellationToken);
        var profile = command.Profile.Validated(access.Today);
        MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số quyết định kết nạp");
        access.RequireNotFuture(command.DecisionDate, "decision_date");
        CheckCeremony(command.DecisionDate, command.CeremonyDate, "ceremony_date");
        var rule = timeline.At(command.DecisionDate);

        var age = Dates.FullYears(profile.DateOfBirth, command.DecisionDate);
        if (age < rule.AdmissionMinAge)
        {
            throw Refuse.Rule("admission.min-age",
                $"Người vào Đảng phải đủ {rule.AdmissionMinAge} tuổi; ngày quyết định người này mới {age} tuổi.",
                $"Applicants must be at least {rule.AdmissionMinAge}; this one is {age} on the decision date.");
        }

        if (age > rule.AdmissionMaxAge && string.IsNullOrWhiteSpace(command.ProvincialApproval))
        {
            throw Refuse.Rule("admission.max-age",
                $"Người vào Đảng trên {rule.AdmissionMaxAge} tuổi ({age} tuổi) phải có ý kiến đồng ý của cấp ủy tỉnh; chưa nhập văn bản đồng ý.",
                $"Applicants older than {rule.AdmissionMaxAge} ({age}) need the provincial committee's approval; none was given.");
        }

        await access.EnsureUniqueAsync(profile, null, cancellationToken);
        await CheckIntroducersAsync(command.Introducers, command.DecisionDate, profile.CitizenId, rule, cancellationToken);

        var member = NewMember(command.OrgUnitId, profile);
        member.Status = MemberStatus.Probationary;
        member.AdmissionDate = command.DecisionDate;
        member.AdmissionDecision = command.DecisionNumber.Trim();
        member.AdmissionCeremonyDate = command.CeremonyDate;
        member.Introducers = JsonSerializer.Serialize(command.Introducers, RuleSet.Json);
        access.Db.Members.Add(member);
        access.Record(member, "admitted",
            $"Kết nạp vào Đảng theo quyết định {member.AdmissionDecision} ngày {command.DecisionDate:dd/MM/yyyy}; dự bị đến {member.ProbationEnds(rule):dd/MM/yyyy}",
            command.ProvincialApproval ?? "",
            new { command.Introducers, command.ProvincialApproval });
        access.Db.Publish(new V1.MemberAdmitted
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            FullName = member.FullName,
            DecisionDate = command.DecisionDate.ToContract(),
            DecisionNumber = member.AdmissionDecision,
        });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Edits the member-file fields (never the status); the timeline keeps each changed field.</summary>
    public async Task<Member> UpdateProfileAsync(UpdateProfileCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Write, command.MemberId, command.ExpectedVersion, cancellationToken);
        var profile = command.Profile.Validated(access.Today);
        await access.EnsureUniqueAsync(profile, member.Id, cancellationToken);
        var changes = profile.ApplyTo(member);
        if (changes.Count == 0)
        {
            return member;
        }

        access.Record(member, "profile-updated", "Sửa hồ sơ: " + string.Join(", ", changes.Keys), command.Reason, changes);
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Công nhận đảng viên chính thức: refused before the probation of the rules in force at the ceremony is complete.</summary>
    public async Task<Member> RecognizeOfficialAsync(RecognizeOfficialCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, command.ExpectedVersion, cancellationToken);
        var timeline = await rules.TimelineAsync(cancellationToken);
        if (member.Status != MemberStatus.Probationary)
        {
            throw Refuse.Rule("recognition.not-probationary",
                $"Chỉ công nhận chính thức cho đảng viên dự bị; đảng viên này đang ở trạng thái \"{member.Status.Vi()}\".",
                $"Only probationary members are recognised; this member is {member.Status}.");
        }

        MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số nghị quyết/quyết định công nhận");
        access.RequireNotFuture(command.DecisionDate, "decision_date");
        var ends = member.ProbationEnds(timeline.At(member.AdmissionCeremonyDate));
        if (command.DecisionDate < ends)
        {
            throw ProbationIncomplete(ends);
        }

        member.Status = MemberStatus.Official;
        member.OfficialDate = ends;
        member.OfficialDecision = command.DecisionNumber.Trim();
        access.Record(member, "recognized",
            $"Công nhận đảng viên chính thức từ ngày {ends:dd/MM/yyyy} theo quyết định {member.OfficialDecision} ngày {command.DecisionDate:dd/MM/yyyy}");
        access.Db.Publish(new V1.MemberRecognizedOfficial
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            OfficialDate = ends.ToContract(),
            DecisionNumber = member.OfficialDecision,
        });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Sets the security classification (độ mật) of a member file; needs the right to read classified records.</summary>
    public async Task<Member> ClassifyAsync(Guid memberId, long expectedVersion, Classification classification, string reason, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Write, memberId, expectedVersion, cancellationToken);
        await access.EnsureAllowedAsync(CorePermissions.ReadClassified, member.OwnerOrgUnitId, cancellationToken);
        if (!Enum.IsDefined(classification))
        {
            throw Refuse.Field("classification", "Độ mật không hợp lệ.", "The classification is invalid.");
        }

        if (member.Classification == classification)
        {
            return member;
        }

        var before = member.Classification;
        member.Classification = classification;
        access.Record(member, "classified", $"Đổi độ mật hồ sơ: {before} → {classification}", reason, new { before, after = classification });
        await access.SaveAsync(cancellationToken);
        return member;
    }

    /// <summary>Probationary members whose probation ends within 30 days of <paramref name="asOf"/> or has ended; overdue ones flagged.</summary>
    public async Task<IReadOnlyList<RecognitionDue>> RecognitionsDueAsync(Guid orgUnitId, DateOnly asOf, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleMembersAsync(MembersPermissions.Read, orgUnitId, cancellationToken);
        var timeline = await rules.TimelineAsync(cancellationToken);
        var horizon = asOf.AddDays(30);
        var earliest = horizon.AddMonths(-timeline.Packs.Min(p => p.Rules.ProbationMonths));
        var probationary = await visible
            .Where(m => m.Status == MemberStatus.Probationary && m.AdmissionCeremonyDate <= earliest)
            .ToListAsync(cancellationToken);
        return probationary
            .Select(m =>
            {
                var rule = timeline.At(m.AdmissionCeremonyDate);
                var ends = m.ProbationEnds(rule);
                return new RecognitionDue(MemberSummary.Of(m), ends, ends <= asOf, asOf > ends.AddDays(rule.RecognitionOverdueDays));
            })
            .Where(d => d.ProbationEnds <= horizon)
            .OrderBy(d => d.ProbationEnds)
            .ToList();
    }

    private async Task CheckIntroducersAsync(IReadOnlyList<IntroducerInfo> introducers, DateOnly decisionDate, string citizenId, RuleSet rule, CancellationToken cancellationToken)
    {
        if (introducers.Count < rule.IntroducersRequired)
        {
            throw Refuse.Rule("admission.introducers",
                $"Cần {rule.IntroducersRequired} đảng viên chính thức giới thiệu; mới có {introducers.Count}.",
                $"{rule.IntroducersRequired} official members must introduce the applicant; {introducers.Count} given.");
        }

        for (var i = 0; i < introducers.Count; i++)
        {
            var introducer = introducers[i];
            if (string.IsNullOrWhiteSpace(introducer.FullName))
            {
                throw Refuse.Field($"introducers[{i}].full_name", "Chưa nhập họ tên người giới thiệu.", "The introducer's name is required.");
            }

            if (introducer.WorkedWithSince.AddYears(rule.IntroducerMinYearsTogether) > decisionDate)
            {
                throw Refuse.Rule("admission.introducer-time",
                    $"Người giới thiệu {introducer.FullName} phải công tác cùng người vào Đảng ít nhất {rule.IntroducerMinYearsTogether} năm.",
                    $"Introducer {introducer.FullName} must have worked with the applicant for at least {rule.IntroducerMinYearsTogether} year(s).");
            }

            if (introducer.MemberId is { } id)
            {
                var known = await access.Db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken)
                    ?? throw Refuse.Field($"introducers[{i}].member_id", $"Không tìm thấy đảng viên giới thiệu {introducer.FullName}.", $"Introducer {id} was not found.");
                if (known.CitizenId == citizenId || known.Status is not (MemberStatus.Official or MemberStatus.Exempted) || known.OfficialDate is not { } official || official > decisionDate)
                {
                    throw Refuse.Rule("admission.introducer-not-official",
                        $"Người giới thiệu {known.FullName} phải là đảng viên chính thức vào ngày quyết định kết nạp.",
                        $"Introducer {known.FullName} must be an official member on the decision date.");
                }
            }
        }

        if (introducers.Where(x => x.MemberId is not null).GroupBy(x => x.MemberId).Any(g => g.Count() > 1))
        {
            throw Refuse.Field("introducers", "Một người không thể giới thiệu hai lần.", "An introducer is listed twice.");
        }
    }

    private static void CheckCeremony(DateOnly decision, DateOnly ceremony, string field)
    {
        if (ceremony < decision)
        {
            throw Refuse.Field(field, "Lễ kết nạp không thể trước ngày quyết định kết nạp.", "The admission ceremony cannot precede the decision.");
        }
    }

    private static RuleViolationException ProbationIncomplete(DateOnly ends) => Refuse.Rule("recognition.probation-incomplete",
        $"Chưa đủ thời gian dự bị: thời gian dự bị kết thúc ngày {ends:dd/MM/yyyy}.",
        $"The probation is not complete: it ends on {ends:yyyy-MM-dd}.");

    private static Member NewMember(Guid orgUnitId, MemberProfile profile)
    {
        var member = new Member { OwnerOrgUnitId = orgUnitId };
        profile.ApplyTo(member);
        return member;
    }
}
