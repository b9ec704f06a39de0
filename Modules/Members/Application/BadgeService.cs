using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;
using V1 = DangVu.Contracts.Members.V1;

namespace DangVu.Modules.Members.Application;

/// <summary>Huy hiệu Đảng: who becomes eligible for an award batch, and the badges awarded.</summary>
internal sealed class BadgeService(MemberAccess access, RuleBook rules)
{
    /// <summary>
    /// Members of the subtree who by <paramref name="batchDate"/> reach a badge year of the rules
    /// and have not received that badge: each with the highest such year; late when it was reached
    /// before the previous batch.
    /// </summary>
    public async Task<IReadOnlyList<BadgeCandidate>> CandidatesAsync(Guid orgUnitId, DateOnly batchDate, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleMembersAsync(MembersPermissions.Read, orgUnitId, cancellationToken);
        var rule = (await rules.TimelineAsync(cancellationToken)).At(batchDate);
        CheckBatch(rule, batchDate);
        var previousBatch = rule.BatchDates(batchDate.Year).Concat(rule.BatchDates(batchDate.Year - 1)).Where(d => d < batchDate).Max();
        var admittedBy = batchDate.AddYears(-rule.BadgeYears[0]);
        var members = await visible
            .Where(m => (m.Status == MemberStatus.Official || m.Status == MemberStatus.Exempted || m.Status == MemberStatus.InTransfer)
                && m.AdmissionDate <= admittedBy)
            .ToListAsync(cancellationToken);
        var ids = members.Select(m => m.Id).ToList();
        var awarded = (await access.Db.Badges.AsNoTracking().Where(b => ids.Contains(b.MemberId)).Select(b => new { b.MemberId, b.Years }).ToListAsync(cancellationToken))
            .ToLookup(b => b.MemberId, b => b.Years);
        var candidates = new List<BadgeCandidate>();
        foreach (var member in members)
        {
            var years = rule.BadgeYears.LastOrDefault(y => member.AdmissionDate.AddYears(y) <= batchDate);
            if (years == 0 || awarded[member.Id].Any(y => y >= years))
            {
                continue;
            }

            var reached = member.AdmissionDate.AddYears(years);
            candidates.Add(new BadgeCandidate(MemberSummary.Of(member), years, reached, reached <= previousBatch));
        }

        return candidates.OrderByDescending(c => c.Years).ThenBy(c => c.ReachedOn).ToList();
    }

    public async Task<BadgeAward> AwardAsync(AwardBadgeCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Lifecycle, command.MemberId, 0, cancellationToken);
        var rule = (await rules.TimelineAsync(cancellationToken)).At(command.BatchDate);
        CheckBatch(rule, command.BatchDate);
        if (!rule.BadgeYears.Contains(command.Years))
        {
            throw Refuse.Field("years", $"Không có huy hiệu {command.Years} năm tuổi Đảng; các mốc: {string.Join(", ", rule.BadgeYears)}.",
                $"There is no {command.Years}-year badge; the years are {string.Join(", ", rule.BadgeYears)}.");
        }

        if (!member.Status.IsOnRolls())
        {
            throw Refuse.NotOnRolls(member.Status);
        }

        var reached = member.AdmissionDate.AddYears(command.Years);
        if (reached > command.BatchDate)
        {
            throw Refuse.Rule("badge.not-reached",
                $"Đến đợt {command.BatchDate:dd/MM/yyyy} đảng viên chưa đủ {command.Years} năm tuổi Đảng (đủ vào ngày {reached:dd/MM/yyyy}).",
                $"By the {command.BatchDate:yyyy-MM-dd} batch the member has not reached {command.Years} years (reached on {reached:yyyy-MM-dd}).");
        }

        if (await access.Db.Badges.AnyAsync(b => b.MemberId == member.Id && b.Years == command.Years, cancellationToken))
        {
            throw Refuse.Rule("badge.already-awarded", $"Đảng viên đã được trao huy hiệu {command.Years} năm tuổi Đảng.", $"The {command.Years}-year badge was already awarded.");
        }

        MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số quyết định tặng huy hiệu");
        var award = new BadgeAward
        {
            MemberId = member.Id,
            OwnerOrgUnitId = member.OwnerOrgUnitId,
            Classification = member.Classification,
            Years = command.Years,
            BatchDate = command.BatchDate,
            DecisionNumber = command.DecisionNumber.Trim(),
        };
        access.Db.Badges.Add(award);
        access.Record(member, "badge-awarded", $"Tặng Huy hiệu {command.Years} năm tuổi Đảng, đợt {command.BatchDate:dd/MM/yyyy}, quyết định {award.DecisionNumber}");
        access.Db.Publish(new V1.BadgeAwarded
        {
            MemberId = member.Id.ToString(),
            OrgUnitId = member.OwnerOrgUnitId.ToString(),
            Years = command.Years,
            BatchDate = command.BatchDate.ToContract(),
        });
        await access.SaveAsync(cancellationToken);
        return award;
    }

    public async Task<IReadOnlyList<BadgeAward>> AwardsAsync(Guid memberId, CancellationToken cancellationToken)
    {
        await access.LoadAsync(MembersPermissions.Read, memberId, 0, cancellationToken);
        return await access.Db.Badges.AsNoTracking().Where(b => b.MemberId == memberId).OrderBy(b => b.Years).ToListAsync(cancellationToken);
    }

    private static void CheckBatch(RuleSet rule, DateOnly batchDate)
    {
        if (!rule.BatchDates(batchDate.Year).Contains(batchDate))
        {
            throw Refuse.Field("batch_date",
                $"Ngày {batchDate:dd/MM/yyyy} không phải là đợt trao huy hiệu; các đợt: {string.Join(", ", rule.BadgeBatches)}.",
                $"{batchDate:yyyy-MM-dd} is not an award batch; batches are {string.Join(", ", rule.BadgeBatches)}.");
        }
    }
}
