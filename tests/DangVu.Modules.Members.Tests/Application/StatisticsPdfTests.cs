using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Application.Reports;
using DangVu.Modules.Members.Domain;
using UglyToad.PdfPig;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class StatisticsPdfTests
{
    [Fact]
    public async Task The_statistics_pdf_reads_back_with_its_Vietnamese_labels_and_counts()
    {
        await using var host = await MembersHost.StartAsync();
        await host.RegisterOfficialAsync("Nguyễn Thị Hoa", TestOrganisation.CellA, new DateOnly(2005, 5, 1), Gender.Female, new DateOnly(1980, 2, 1));
        await host.RegisterOfficialAsync("Trần Văn Cường", TestOrganisation.CellA, new DateOnly(1985, 1, 1), born: new DateOnly(1960, 3, 3));
        var statistics = await host.Run<QueryService, MemberStatistics>(s => s.StatisticsAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None));

        var pdf = StatisticsPdf.Write("Đảng bộ phường Ba Đình", MembersHost.Today, statistics);

        using var document = PdfDocument.Open(pdf);
        var text = string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
        text.Should().Contain("Đảng viên").And.Contain("Đảng bộ phường Ba Đình").And.Contain("Nữ").And.Contain("Kinh")
            .And.Contain("Theo trình độ lý luận chính trị").And.Contain("23/11/2026");
        text.Should().Contain("Tổng số đảng viên: 2");
        document.GetPage(1).Letters.Select(l => l.FontName).Distinct().Should().OnlyContain(f => f.Contains("DejaVu"), "the text uses the embedded font, not a system one");
    }

    [Fact]
    public void An_empty_subtree_gives_a_pdf_saying_there_is_no_data_rather_than_failing()
    {
        var empty = new MemberStatistics(0, new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>(),
            new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>(), new Dictionary<string, int>());

        using var document = PdfDocument.Open(StatisticsPdf.Write("Chi bộ trống", MembersHost.Today, empty));

        string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)).Should().Contain("Không có số liệu").And.Contain("Tổng số đảng viên: 0");
    }
}
