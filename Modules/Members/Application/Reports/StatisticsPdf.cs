using System.Reflection;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace DangVu.Modules.Members.Application.Reports;

/// <summary>
/// The statistics of an organisation subtree as an A4 PDF: one bar chart per breakdown, the text
/// in DejaVu Sans embedded from the module's own data, so Vietnamese renders the same on every
/// installation whatever fonts the server has.
/// </summary>
internal static class StatisticsPdf
{
    private const double Margin = 50;
    private const double LabelWidth = 190;
    private const double BarMaxWidth = 230;
    private const double RowHeight = 16;

    private static readonly Lazy<byte[]> Font = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DangVu.Modules.Members.Data.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The embedded font DejaVuSans.ttf is missing from the Members module.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static byte[] Write(string organisationName, DateOnly asOf, MemberStatistics statistics)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddTrueTypeFont(Font.Value);
        var page = builder.AddPage(PageSize.A4);
        var top = page.PageSize.Height - Margin;
        var y = top;

        void Line(string text, double size, double x = Margin)
        {
            if (y < Margin + RowHeight)
            {
                page = builder.AddPage(PageSize.A4);
                y = top;
            }

            page.AddText(text, size, new PdfPoint(x, y), font);
            y -= size + 6;
        }

        Line("Thống kê Đảng viên", 16);
        Line(organisationName, 12);
        Line($"Số liệu đến ngày {asOf:dd/MM/yyyy} — Tổng số đảng viên: {statistics.Total}", 10);
        y -= 6;
        foreach (var section in StatisticsSections.Of(statistics))
        {
            y -= 4;
            Line(section.TitleVi, 12);
            var max = Math.Max(1, section.Rows.Count == 0 ? 1 : section.Rows.Max(r => r.Count));
            if (section.Rows.Count == 0)
            {
                Line("Không có số liệu", 9);
            }

            foreach (var row in section.Rows)
            {
                Line(row.Label, 9);
                var barY = y + 9 + 6;
                var width = Math.Max(1, BarMaxWidth * row.Count / max);
                page.SetTextAndFillColor(183, 28, 28);
                page.DrawRectangle(new PdfPoint(Margin + LabelWidth, barY - 1), width, 9, 0.5, fill: true);
                page.ResetColor();
                page.AddText(row.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), 9, new PdfPoint(Margin + LabelWidth + width + 6, barY), font);
            }
        }

        return builder.Build();
    }
}
