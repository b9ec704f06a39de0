using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DangVu.Modules.Members.Domain;

/// <summary>
/// The numbers of the member rules (Điều lệ, Quy định 01-QĐ/TW 2026…), as data: a rule pack
/// holds one set, valid from a date until the next pack. Rates are in per mille so that money
/// stays in whole đồng.
/// </summary>
internal sealed record RuleSet
{
    public int ProbationMonths { get; init; } = 12;

    /// <summary>Days after the probation ends before a missing recognition is flagged overdue.</summary>
    public int RecognitionOverdueDays { get; init; } = 30;

    public int AdmissionMinAge { get; init; } = 18;

    /// <summary>Older applicants need the provincial committee's approval.</summary>
    public int AdmissionMaxAge { get; init; } = 60;

    public int IntroducersRequired { get; init; } = 2;

    public int IntroducerMinYearsTogether { get; init; } = 1;

    /// <summary>Working days from the triggering decision within which the transfer starts.</summary>
    public int TransferStartWorkingDays { get; init; } = 60;

    /// <summary>Days from the letter within which the member presents it to the receiving side.</summary>
    public int TransferPresentDays { get; init; } = 30;

    public IReadOnlyList<int> BadgeYears { get; init; } = [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

    /// <summary>Award batch days as "MM-dd".</summary>
    public IReadOnlyList<string> BadgeBatches { get; init; } = ["02-03", "05-19", "09-02", "11-07"];

    public int DuesSalaryPerMille { get; init; } = 10;

    public int DuesBenefitPerMille { get; init; } = 10;

    public int DuesPensionPerMille { get; init; } = 5;

    public long DuesStudentAmount { get; init; } = 5000;

    public int DuesExemptPartyAgeYears { get; init; } = 50;

    public IReadOnlyList<int> HardshipPercents { get; init; } = [30, 50, 70, 100];

    public int HardshipMaxMonths { get; init; } = 12;

    /// <summary>Unpaid months in a year after which the chi bộ considers removal from the rolls.</summary>
    public int UnpaidMonthsThreshold { get; init; } = 3;

    /// <summary>Share of collected dues the chi bộ / grassroots keeps; the rest is sent up.</summary>
    public int DuesKeptPercent { get; init; } = 30;

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,

        // Stored text stays readable Vietnamese; it is never written into HTML unencoded.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a rule set; a malformed document is the field's error.</summary>
    public static RuleSet FromJson(string json, string field = "rules_json")
    {
        try
        {
            return JsonSerializer.Deserialize<RuleSet>(json, Json)
                ?? throw Refuse.Field(field, "Bộ quy định trống.", "The rule set is empty.");
        }
        catch (JsonException ex)
        {
            throw Refuse.Field(field, $"Bộ quy định không đúng định dạng: {ex.Message}", $"The rule set is malformed: {ex.Message}");
        }
    }

    /// <summary>Throws the field error of the first value out of range.</summary>
    public RuleSet Validate()
    {
        Check(ProbationMonths is > 0 and <= 60, "probation_months", "Thời gian dự bị phải từ 1 đến 60 tháng.", "Probation must be 1–60 months.");
        Check(RecognitionOverdueDays >= 0, "recognition_overdue_days", "Số ngày quá hạn công nhận không được âm.", "Overdue days cannot be negative.");
        Check(AdmissionMinAge is >= 16 and <= 30 && AdmissionMaxAge > AdmissionMinAge, "admission_age", "Độ tuổi kết nạp không hợp lệ.", "The admission age range is invalid.");
        Check(IntroducersRequired is >= 1 and <= 5, "introducers_required", "Số người giới thiệu phải từ 1 đến 5.", "Introducers required must be 1–5.");
        Check(IntroducerMinYearsTogether >= 0, "introducer_min_years_together", "Thời gian công tác cùng người giới thiệu không được âm.", "Years together cannot be negative.");
        Check(TransferStartWorkingDays > 0 && TransferPresentDays > 0, "transfer_days", "Thời hạn chuyển sinh hoạt phải lớn hơn 0.", "Transfer clocks must be positive.");
        Check(BadgeYears.Count > 0 && BadgeYears.All(y => y is > 0 and <= 100) && BadgeYears.SequenceEqual(BadgeYears.Order().Distinct()),
            "badge_years", "Các mốc huy hiệu phải tăng dần, từ 1 đến 100 năm.", "Badge years must be increasing, 1–100.");
        Check(BadgeBatches.Count > 0 && BadgeBatches.All(b => ParseBatch(b, 2000) is not null),
            "badge_batches", "Đợt trao huy hiệu phải có dạng MM-dd.", "Badge batches are MM-dd.");
        Check(DuesSalaryPerMille is >= 0 and <= 1000 && DuesBenefitPerMille is >= 0 and <= 1000 && DuesPensionPerMille is >= 0 and <= 1000,
            "dues_rates", "Tỷ lệ đảng phí phải từ 0 đến 1000‰.", "Dues rates must be 0–1000‰.");
        Check(DuesStudentAmount >= 0, "dues_student_amount", "Mức đảng phí học sinh, sinh viên không được âm.", "The student amount cannot be negative.");
        Check(HardshipPercents.Count > 0 && HardshipPercents.All(p => p is > 0 and <= 100), "hardship_percents", "Mức giảm phải từ 1 đến 100%.", "Reductions are 1–100%.");
        Check(HardshipMaxMonths > 0, "hardship_max_months", "Thời gian giảm, miễn phải lớn hơn 0.", "The reduction period must be positive.");
        Check(UnpaidMonthsThreshold > 0, "unpaid_months_threshold", "Ngưỡng tháng chưa đóng phải lớn hơn 0.", "The unpaid threshold must be positive.");
        Check(DuesKeptPercent is >= 0 and <= 100, "dues_kept_percent", "Tỷ lệ giữ lại phải từ 0 đến 100%.", "The kept share must be 0–100%.");
        return this;
    }

    /// <summary>The badge batch days of a year, in order.</summary>
    public IReadOnlyList<DateOnly> BatchDates(int year) =>
        BadgeBatches.Select(b => ParseBatch(b, year)!.Value).Order().ToList();

    private static DateOnly? ParseBatch(string monthDay, int year) =>
        DateOnly.TryParseExact($"{year:D4}-{monthDay}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static void Check(bool ok, string field, string vi, string en)
    {
        if (!ok)
        {
            throw Refuse.Field("rules." + field, vi, en);
        }
    }
}

/// <summary>A rule set with the day it took effect and where it comes from.</summary>
internal sealed record RulePackInfo(Guid Id, DateOnly ValidFrom, string Name, string SourceDocument, RuleSet Rules, long Version);

/// <summary>
/// The packs in effect over time. The rules at a date are those of the latest pack valid from
/// that date or before; dates before the first pack use the first pack (the seed carries the
/// long-standing rules — probation, badges — that older history needs).
/// </summary>
internal sealed class RuleTimeline
{
    private readonly List<RulePackInfo> _packs;

    public RuleTimeline(IEnumerable<RulePackInfo> packs)
    {
        _packs = packs.OrderBy(p => p.ValidFrom).ToList();
        if (_packs.Count == 0)
        {
            throw new InvalidOperationException("A rule timeline needs at least one pack.");
        }
    }

    public IReadOnlyList<RulePackInfo> Packs => _packs;

    public RulePackInfo PackAt(DateOnly date)
    {
        // A loop, not a lambda: an import asks for every row.
        for (var i = _packs.Count - 1; i > 0; i--)
        {
            if (_packs[i].ValidFrom <= date)
            {
                return _packs[i];
            }
        }

        return _packs[0];
    }

    public RuleSet At(DateOnly date) => PackAt(date).Rules;

    /// <summary>The rules of a month: those in force on its last day.</summary>
    public RuleSet AtPeriod(int period) => At(Dates.LastDay(period));
}
