using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Application.Reports;

/// <summary>One breakdown of the statistics with Vietnamese labels, as the page and the PDF show it.</summary>
internal sealed record StatisticsSection(string Id, string TitleVi, string TitleEn, IReadOnlyList<StatisticsRow> Rows);

internal sealed record StatisticsRow(string Label, int Count);

/// <summary>Turns the statistics' keys (enum names, reference codes, bands) into labelled rows, in a stable order.</summary>
internal static class StatisticsSections
{
    private static readonly string[] AgeBands = ["<=30", "31-40", "41-50", "51-60", "61-70", ">70"];
    private static readonly string[] PartyAgeBands = ["<10", "10-19", "20-29", "30-39", "40-49", ">=50"];

    public static IReadOnlyList<StatisticsSection> Of(MemberStatistics s) =>
    [
        new("status", "Theo trạng thái", "By status", Enums<MemberStatus>(s.ByStatus, v => v.Vi())),
        new("gender", "Theo giới tính", "By gender", Enums<Gender>(s.ByGender, v => v.Vi())),
        new("age", "Theo độ tuổi", "By age band", Bands(s.ByAgeBand, AgeBands, AgeLabel)),
        new("ethnicity", "Theo dân tộc", "By ethnicity", Codes(s.ByEthnicity, c => ReferenceData.Ethnicity(c)?.Name)),
        new("religion", "Theo tôn giáo", "By religion", Codes(s.ByReligion, c => ReferenceData.Religion(c)?.Name)),
        new("education", "Theo trình độ giáo dục phổ thông", "By general education", Codes(s.ByGeneralEducation, c => c.Length == 0 ? "Chưa ghi" : c)),
        new("theory", "Theo trình độ lý luận chính trị", "By political theory", Enums<TheoryLevel>(s.ByTheoryLevel, v => v.Vi())),
        new("party-age", "Theo tuổi Đảng", "By Party age", Bands(s.ByPartyAgeBand, PartyAgeBands, PartyAgeLabel)),
    ];

    private static List<StatisticsRow> Enums<T>(IReadOnlyDictionary<string, int> counts, Func<T, string> label)
        where T : struct, Enum =>
        counts.Select(c => (Key: Enum.TryParse<T>(c.Key, out var v) ? v : default(T?), c.Value, c.Key))
            .OrderBy(c => c.Key is null ? int.MaxValue : Convert.ToInt32(c.Key.Value))
            .Select(c => new StatisticsRow(c.Key is { } v ? label(v) : c.Item3, c.Value))
            .ToList();

    private static List<StatisticsRow> Codes(IReadOnlyDictionary<string, int> counts, Func<string, string?> label) =>
        counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => new StatisticsRow(label(c.Key) ?? c.Key, c.Value))
            .ToList();

    private static List<StatisticsRow> Bands(IReadOnlyDictionary<string, int> counts, string[] order, Func<string, string> label) =>
        order.Where(counts.ContainsKey).Select(b => new StatisticsRow(label(b), counts[b])).ToList();

    private static string AgeLabel(string band) => band switch
    {
        "<=30" => "Đến 30 tuổi",
        ">70" => "Trên 70 tuổi",
        _ => $"Từ {band.Replace("-", " đến ", StringComparison.Ordinal)} tuổi",
    };

    private static string PartyAgeLabel(string band) => band switch
    {
        "<10" => "Dưới 10 năm",
        ">=50" => "Từ 50 năm trở lên",
        _ => $"Từ {band.Replace("-", " đến ", StringComparison.Ordinal)} năm",
    };
}
