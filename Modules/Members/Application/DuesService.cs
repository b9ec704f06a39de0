using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Application;

/// <summary>
/// Đảng phí: what each member owes each month by the rules in force that month, the ledger of
/// payments, the chi bộ collection sheet with the kept / sent-up split, and the members with
/// too many unpaid months in a year.
/// </summary>
internal sealed class DuesService(MemberAccess access, RuleBook rules)
{
    public async Task<DuesBasisRecord> SetBasisAsync(SetDuesBasisCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Dues, command.MemberId, 0, cancellationToken);
        var period = CheckPeriod(command.FromYear, command.FromMonth, "from_month");
        if (!Enum.IsDefined(command.Kind))
        {
            throw Refuse.Field("kind", "Căn cứ đóng đảng phí không hợp lệ.", "The dues basis is invalid.");
        }

        var needsAmount = command.Kind is DuesBasisKind.InsuranceSalary or DuesBasisKind.LeaveBenefit or DuesBasisKind.Pension;
        if (command.Amount < 0 || (needsAmount && command.Amount == 0) || command.Amount > 10_000_000_000)
        {
            throw Refuse.Field("amount", "Số tiền làm căn cứ đóng đảng phí không hợp lệ.", "The amount the dues are computed from is invalid.");
        }

        var record = await access.Db.DuesBases.SingleOrDefaultAsync(b => b.MemberId == member.Id && b.FromPeriod == period, cancellationToken);
        if (record is null)
        {
            record = new DuesBasisRecord { MemberId = member.Id, OwnerOrgUnitId = member.OwnerOrgUnitId, Classification = member.Classification, FromPeriod = period };
            access.Db.DuesBases.Add(record);
        }

        record.Kind = command.Kind;
        record.Amount = needsAmount ? command.Amount : 0;
        access.Record(member, "dues-basis-set", $"Căn cứ đóng đảng phí từ tháng {period % 100:D2}/{period / 100}: {command.Kind}, {record.Amount:N0}đ");
        await access.SaveAsync(cancellationToken);
        return record;
    }

    public async Task<HardshipReduction> RecordHardshipReductionAsync(RecordHardshipReductionCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Dues, command.MemberId, 0, cancellationToken);
        var from = CheckPeriod(command.FromYear, command.FromMonth, "from_month");
        var to = CheckPeriod(command.ToYear, command.ToMonth, "to_month");
        if (to < from)
        {
            throw Refuse.Field("to_month", "Tháng kết thúc phải sau tháng bắt đầu.", "The end month must not precede the start month.");
        }

        var rule = (await rules.TimelineAsync(cancellationToken)).AtPeriod(from);
        if (!rule.HardshipPercents.Contains(command.Percent))
        {
            throw Refuse.Field("percent", $"Mức giảm phải là một trong: {string.Join(", ", rule.HardshipPercents)}%.",
                $"The reduction is one of {string.Join(", ", rule.HardshipPercents)}%.");
        }

        var months = (to / 100 - from / 100) * 12 + to % 100 - from % 100 + 1;
        if (months > rule.HardshipMaxMonths)
        {
            throw Refuse.Rule("dues.hardship-too-long",
                $"Giảm, miễn đảng phí do hoàn cảnh khó khăn tối đa {rule.HardshipMaxMonths} tháng mỗi lần; đề nghị {months} tháng.",
                $"A hardship reduction lasts at most {rule.HardshipMaxMonths} months; {months} asked.");
        }

        if (await access.Db.HardshipReductions.AnyAsync(r => r.MemberId == member.Id && r.FromPeriod <= to && r.ToPeriod >= from, cancellationToken))
        {
            throw Refuse.Rule("dues.hardship-overlap", "Đã có quyết định giảm, miễn đảng phí trùng thời gian.", "A reduction already covers part of these months.");
        }

        MemberAccess.RequireText(command.DecisionNumber, "decision_number", "số quyết định");
        var reduction = new HardshipReduction
        {
            MemberId = member.Id,
            OwnerOrgUnitId = member.OwnerOrgUnitId,
            Classification = member.Classification,
            Percent = command.Percent,
            FromPeriod = from,
            ToPeriod = to,
            DecisionNumber = command.DecisionNumber.Trim(),
            Reason = (command.Reason ?? "").Trim(),
        };
        access.Db.HardshipReductions.Add(reduction);
        access.Record(member, "dues-reduced",
            $"{(command.Percent == 100 ? "Miễn" : $"Giảm {command.Percent}%")} đảng phí từ {from % 100:D2}/{from / 100} đến {to % 100:D2}/{to / 100}", command.Reason ?? "");
        await access.SaveAsync(cancellationToken);
        return reduction;
    }

    public async Task<DuesLedger> PayAsync(RecordDuesPaymentCommand command, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Dues, command.MemberId, 0, cancellationToken);
        var period = CheckPeriod(command.Year, command.Month, "month");
        access.RequireNotFuture(command.PaidOn, "paid_on");
        if (command.Amount <= 0)
        {
            throw Refuse.Field("amount", "Số tiền nộp phải lớn hơn 0.", "The amount must be positive.");
        }

        var inputs = await InputsAsync([member.Id], cancellationToken);
        var due = DueFor(member, period, inputs)
            ?? throw Refuse.Rule("dues.not-liable", $"Tháng {command.Month:D2}/{command.Year} đảng viên chưa hoặc không còn sinh hoạt đảng.", "The member owes no dues for that month.");
        if (inputs.Payments.Any(p => p.MemberId == member.Id && p.Period == period))
        {
            throw Refuse.Rule("dues.already-paid", $"Đảng phí tháng {command.Month:D2}/{command.Year} đã được ghi nhận.", "That month was already paid.");
        }

        if (due.Exempt)
        {
            throw Refuse.Rule("dues.exempt", $"Tháng {command.Month:D2}/{command.Year} đảng viên được miễn đảng phí ({due.Basis}).", $"The member is exempt that month ({due.Basis}).");
        }

        if (command.Amount < due.Due)
        {
            throw Refuse.Rule("dues.amount-below-due",
                $"Số tiền nộp {command.Amount:N0}đ thấp hơn mức phải đóng {due.Due:N0}đ ({due.Basis}).",
                $"{command.Amount:N0} is below the {due.Due:N0} due.");
        }

        access.Db.DuesPayments.Add(new DuesPayment
        {
            MemberId = member.Id,
            OwnerOrgUnitId = member.OwnerOrgUnitId,
            Classification = member.Classification,
            Period = period,
            Due = due.Due,
            Amount = command.Amount,
            PaidOn = command.PaidOn,
        });
        access.Record(member, "dues-paid", $"Nộp đảng phí tháng {command.Month:D2}/{command.Year}: {command.Amount:N0}đ");
        await access.SaveAsync(cancellationToken);
        return await LedgerAsync(member.Id, command.Year, cancellationToken);
    }

    /// <summary>The twelve months of a year the member owes dues for: due by the rules of each month, and paid.</summary>
    public async Task<DuesLedger> LedgerAsync(Guid memberId, int year, CancellationToken cancellationToken)
    {
        var member = await access.LoadAsync(MembersPermissions.Dues, memberId, 0, cancellationToken);
        return await LedgerOfAsync(member, year, cancellationToken);
    }

    /// <summary>The ledger of a member already authorized for (by dues rights, or as the member's own account).</summary>
    public async Task<DuesLedger> LedgerOfAsync(Member member, int year, CancellationToken cancellationToken)
    {
        CheckPeriod(year, 1, "year");
        var inputs = await InputsAsync([member.Id], cancellationToken);
        var lines = new List<DuesLine>();
        for (var month = 1; month <= 12; month++)
        {
            var period = Dates.Period(year, month);
            if (DueFor(member, period, inputs) is not { } due)
            {
                continue;
            }

            var paid = inputs.Payments.FirstOrDefault(p => p.MemberId == member.Id && p.Period == period);
            lines.Add(new DuesLine(period, paid?.Due ?? due.Due, paid?.Amount ?? 0, paid?.PaidOn, due.Basis, due.Exempt));
        }

        return new DuesLedger(member.Id, year, lines);
    }

    /// <summary>The chi bộ's collection sheet for a month, with the split of what was collected.</summary>
    public async Task<CollectionSheet> CollectionSheetAsync(Guid cellId, int year, int month, CancellationToken cancellationToken)
    {
        await access.EnsureAllowedAsync(MembersPermissions.Dues, cellId, cancellationToken);
        var period = CheckPeriod(year, month, "month");
        var members = await access.Db.Members.AsNoTracking()
            .Where(m => m.OwnerOrgUnitId == cellId && m.Status != MemberStatus.TransferredOut)
            .OrderBy(m => m.SortName).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var inputs = await InputsAsync(members.Select(m => m.Id).ToList(), cancellationToken, period);
        var lines = new List<CollectionLine>();
        foreach (var member in members)
        {
            if (DueFor(member, period, inputs) is not { } due)
            {
                continue;
            }

            var paid = inputs.Payments.FirstOrDefault(p => p.MemberId == member.Id && p.Period == period);
            lines.Add(new CollectionLine(MemberSummary.Of(member), paid?.Due ?? due.Due, paid?.Amount ?? 0, due.Basis, due.Exempt));
        }

        var totalPaid = lines.Sum(l => l.Paid);
        var (kept, sentUp) = DuesCalculator.Split(inputs.Timeline.AtPeriod(period), totalPaid);
        return new CollectionSheet(cellId, period, lines, lines.Sum(l => l.Due), totalPaid, kept, sentUp);
    }

    /// <summary>
    /// Members of the subtree with at least the rules' threshold of months in <paramref name="year"/>
    /// (months ended before <paramref name="asOf"/>) owed and not paid: the chi bộ considers xóa tên.
    /// </summary>
    public async Task<IReadOnlyList<UnpaidDues>> UnpaidAsync(Guid orgUnitId, int year, DateOnly asOf, CancellationToken cancellationToken)
    {
        var visible = await access.VisibleMembersAsync(MembersPermissions.Dues, orgUnitId, cancellationToken);
        CheckPeriod(year, 1, "year");
        var members = await visible
            .Where(m => (m.Status == MemberStatus.Probationary || m.Status == MemberStatus.Official || m.Status == MemberStatus.Exempted || m.Status == MemberStatus.InTransfer))
            .OrderBy(m => m.SortName).ThenBy(m => m.Id)
            .ToListAsync(cancellationToken);
        var inputs = await InputsAsync(members.Select(m => m.Id).ToList(), cancellationToken);
        var threshold = inputs.Timeline.At(asOf).UnpaidMonthsThreshold;
        var current = Dates.Period(asOf);
        var result = new List<UnpaidDues>();
        foreach (var member in members)
        {
            var unpaid = new List<int>();
            for (var month = 1; month <= 12; month++)
            {
                var period = Dates.Period(year, month);
                if (period >= current)
                {
                    break;
                }

                if (DueFor(member, period, inputs) is { Exempt: false, Due: > 0 }
                    && !inputs.Payments.Any(p => p.MemberId == member.Id && p.Period == period))
                {
                    unpaid.Add(period);
                }
            }

            if (unpaid.Count >= threshold)
            {
                result.Add(new UnpaidDues(MemberSummary.Of(member), unpaid));
            }
        }

        return result;
    }

    private sealed record Inputs(RuleTimeline Timeline, List<DuesBasisRecord> Bases, List<HardshipReduction> Reductions, List<DuesPayment> Payments);

    private async Task<Inputs> InputsAsync(List<Guid> memberIds, CancellationToken cancellationToken, int? onlyPeriod = null)
    {
        var timeline = await rules.TimelineAsync(cancellationToken);
        var bases = await access.Db.DuesBases.AsNoTracking().Where(b => memberIds.Contains(b.MemberId)).ToListAsync(cancellationToken);
        var reductions = await access.Db.HardshipReductions.AsNoTracking().Where(r => memberIds.Contains(r.MemberId)).ToListAsync(cancellationToken);
        var payments = await access.Db.DuesPayments.AsNoTracking()
            .Where(p => memberIds.Contains(p.MemberId) && (onlyPeriod == null || p.Period == onlyPeriod))
            .ToListAsync(cancellationToken);
        return new Inputs(timeline, bases, reductions, payments);
    }

    /// <summary>What the member owes for a month; null when not a member that month.</summary>
    private static DuesAmount? DueFor(Member member, int period, Inputs inputs)
    {
        if (period < Dates.Period(member.AdmissionDate) || (member.LeftOn is { } left && period > Dates.Period(left)))
        {
            return null;
        }

        var basis = inputs.Bases.Where(b => b.MemberId == member.Id && b.FromPeriod <= period).MaxBy(b => b.FromPeriod);
        var reduction = inputs.Reductions.FirstOrDefault(r => r.MemberId == member.Id && r.FromPeriod <= period && r.ToPeriod >= period);
        var partyAge = Dates.FullYears(member.AdmissionDate, Dates.LastDay(period));
        return DuesCalculator.Compute(inputs.Timeline.AtPeriod(period), basis?.Kind, basis?.Amount ?? 0, partyAge, reduction?.Percent);
    }

    private static int CheckPeriod(int year, int month, string field) =>
        Dates.IsValidPeriod(year, month)
            ? Dates.Period(year, month)
            : throw Refuse.Field(field, "Tháng hoặc năm không hợp lệ.", "The month or year is invalid.");
}
