namespace DangVu.Modules.Members.Domain;

/// <summary>What one month's dues come to for one member.</summary>
/// <param name="Due">Đồng owed for the month.</param>
/// <param name="Exempt">Nothing is owed by rule (not merely unknown).</param>
/// <param name="Basis">How the amount was reached, in Vietnamese, for the ledger and the sheet.</param>
internal sealed record DuesAmount(long Due, bool Exempt, string Basis);

/// <summary>Đảng phí of a month from the rules in force that month (Quy định 01-QĐ/TW and successors).</summary>
internal static class DuesCalculator
{
    public static DuesAmount Compute(RuleSet rules, DuesBasisKind? kind, long amount, int partyAgeYears, int? hardshipPercent)
    {
        if (partyAgeYears >= rules.DuesExemptPartyAgeYears)
        {
            return new DuesAmount(0, true, $"Miễn: tuổi đảng từ {rules.DuesExemptPartyAgeYears} năm");
        }

        (long due, string basis) = kind switch
        {
            null => (0L, "Chưa khai báo căn cứ đóng đảng phí"),
            DuesBasisKind.InsuranceSalary => (PerMille(amount, rules.DuesSalaryPerMille), $"{rules.DuesSalaryPerMille / 10m:0.##}% tiền lương đóng BHXH {amount:N0}đ"),
            DuesBasisKind.LeaveBenefit => (PerMille(amount, rules.DuesBenefitPerMille), $"{rules.DuesBenefitPerMille / 10m:0.##}% trợ cấp ốm đau, thai sản {amount:N0}đ"),
            DuesBasisKind.Pension => (PerMille(amount, rules.DuesPensionPerMille), $"{rules.DuesPensionPerMille / 10m:0.##}% lương hưu {amount:N0}đ"),
            DuesBasisKind.Student => (rules.DuesStudentAmount, "Học sinh, sinh viên"),
            DuesBasisKind.SocialPension => (-1L, "Miễn: hưởng trợ cấp xã hội"),
            DuesBasisKind.PoorHousehold => (-1L, "Miễn: hộ nghèo, cận nghèo"),
            DuesBasisKind.SeriousIllness => (-1L, "Miễn: bệnh hiểm nghèo"),
            _ => (0L, "Không xác định"),
        };

        if (due < 0)
        {
            return new DuesAmount(0, true, basis);
        }

        if (hardshipPercent is { } percent && kind is not null)
        {
            if (percent >= 100)
            {
                return new DuesAmount(0, true, basis + "; miễn do hoàn cảnh khó khăn");
            }

            due = (due * (100 - percent) + 50) / 100;
            basis += $"; giảm {percent}% do hoàn cảnh khó khăn";
        }

        return new DuesAmount(due, false, basis);
    }

    /// <summary>The share the collecting organisation keeps; the rest is sent up.</summary>
    public static (long Kept, long SentUp) Split(RuleSet rules, long collected)
    {
        var kept = (collected * rules.DuesKeptPercent + 50) / 100;
        return (kept, collected - kept);
    }

    /// <summary>Rate in per mille of a whole-đồng amount, rounded half up.</summary>
    private static long PerMille(long amount, int perMille) => (amount * perMille + 500) / 1000;
}
