using DangVu.Modules.Members.Domain;

namespace DangVu.Modules.Members.Application.Reports;

/// <summary>One line of the statistics: the dimension, the group and its count, with Vietnamese labels.</summary>
internal sealed record StatisticsLine(string Dimension, string Group, int Count, decimal Percent);

/// <summary>
/// The statistics of a subtree (<see cref="QueryService.StatisticsAsync"/>) as an XLSX workbook:
/// one tidy sheet "Thống kê" (dimension, group, count, share of the members on the rolls) that
/// filters and pivots directly in Excel; groups in the order of their lists, labels in Vietnamese.
/// </summary>
internal static class StatisticsXlsx
{
    public static readonly string[] Headers = ["Tiêu chí", "Nhóm", "Số đảng viên", "Tỷ lệ (%)"];

    public static async Task WriteAsync(MemberStatistics statistics, Stream output, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        Xlsx.Write(buffer, "Thống kê", Headers, Lines(statistics).Select(l => (IReadOnlyList<object?>)[l.Dimension, l.Group, l.Count, l.Percent]));
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    /// <summary>Every line of the report, for any renderer (XLSX here, the PDF and the web page elsewhere).</summary>
    public static IEnumerable<StatisticsLine> Lines(MemberStatistics s)
    {
        IEnumerable<StatisticsLine> Dimension(string name, IReadOnlyDictionary<string, int> counts, IEnumerable<(string Key, string Label)> order, int total)
        {
            var known = order.ToList();
            foreach (var (key, label) in known.Where(k => counts.ContainsKey(k.Key)))
            {
                yield return new StatisticsLine(name, label, counts[key], Percent(counts[key], total));
            }

            // Values outside the list (older data) are still counted, under their stored code.
            foreach (var (key, count) in counts.Where(c => known.All(k => k.Key != c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                yield return new StatisticsLine(name, key, count, Percent(count, total));
            }
        }

        var statusTotal = s.ByStatus.Values.Sum();
        yield return new StatisticsLine("Tổng số đảng viên trong danh sách", "Tất cả", s.Total, s.Total == 0 ? 0 : 100);
        foreach (var line in Dimension("Trạng thái", s.ByStatus, Enum.GetValues<MemberStatus>().Select(v => (v.ToString(), v.Vi())), statusTotal)
            .Concat(Dimension("Giới tính", s.ByGender, Enum.GetValues<Gender>().Select(v => (v.ToString(), v.Vi())), s.Total))
            .Concat(Dimension("Độ tuổi", s.ByAgeBand, AgeBands, s.Total))
            .Concat(Dimension("Dân tộc", s.ByEthnicity, ReferenceData.EthnicGroups.Select(e => (e.Code, e.Name)), s.Total))
            .Concat(Dimension("Tôn giáo", s.ByReligion, ReferenceData.Religions.Select(r => (r.Code, r.Name)), s.Total))
            .Concat(Dimension("Giáo dục phổ thông", s.ByGeneralEducation, s.ByGeneralEducation.Keys.Order(StringComparer.Ordinal).Select(k => (k, k.Length == 0 ? "(chưa ghi)" : k)), s.Total))
            .Concat(Dimension("Lý luận chính trị", s.ByTheoryLevel, Enum.GetValues<TheoryLevel>().Select(v => (v.ToString(), v.Vi())), s.Total))
            .Concat(Dimension("Tuổi Đảng", s.ByPartyAgeBand, PartyAgeBands, s.Total)))
        {
            yield return line;
        }
    }

    private static readonly (string Key, string Label)[] AgeBands =
    [
        ("<=30", "Đến 30 tuổi"), ("31-40", "Từ 31 đến 40 tuổi"), ("41-50", "Từ 41 đến 50 tuổi"), ("51-60", "Từ 51 đến 60 tuổi"),
        ("61-70", "Từ 61 đến 70 tuổi"), (">70", "Trên 70 tuổi"),
    ];

    private static readonly (string Key, string Label)[] PartyAgeBands =
    [
        ("<10", "Dưới 10 năm"), ("10-19", "Từ 10 đến 19 năm"), ("20-29", "Từ 20 đến 29 năm"), ("30-39", "Từ 30 đến 39 năm"),
        ("40-49", "Từ 40 đến 49 năm"), (">=50", "Từ 50 năm trở lên"),
    ];

    private static decimal Percent(int count, int total) => total == 0 ? 0 : Math.Round(100m * count / total, 2);
}
