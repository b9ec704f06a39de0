using System.IO.Compression;
using System.Text;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Application.Reports;
using DangVu.Modules.Members.Domain;
using DocumentFormat.OpenXml.Packaging;
using Sheets = DocumentFormat.OpenXml.Spreadsheet.Sheets;
using Workbook = DocumentFormat.OpenXml.Spreadsheet.Workbook;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class XlsxTests
{
    private static readonly string[] Header =
        ["Họ và tên", "Giới tính", "Ngày sinh", "Dân tộc", "Số CCCD", "Mã chi bộ", "Trạng thái", "Ngày vào Đảng", "Số quyết định kết nạp", "Ngày lễ kết nạp", "Ngày chính thức"];

    private static MemoryStream Workbook(params IReadOnlyList<object?>[] rows)
    {
        var file = new MemoryStream();
        Xlsx.Write(file, "Đảng viên", Header, rows);
        file.Position = 0;
        return file;
    }

    private static Task<ImportResult> Import(MembersHost host, Stream file) =>
        host.Run<ImportExportService, ImportResult>(s => s.ImportAsync(file, MemberFileFormat.Xlsx, null, CancellationToken.None));

    private static List<object> Files(List<Member> members) => members.OrderBy(m => m.CitizenId)
        .Select(m => (object)new
        {
            m.FullName, m.Gender, m.DateOfBirth, m.PlaceOfBirth, m.Hometown, m.EthnicityCode, m.ReligionCode, m.CitizenId, m.FileNumber, m.CardNumber,
            m.OwnerOrgUnitId, m.Status, m.AdmissionDate, m.AdmissionDecision, m.AdmissionCeremonyDate, m.OfficialDate, m.OfficialDecision,
            m.GeneralEducation, m.TheoryLevel, m.Occupation, m.Phone, m.Address,
        }).ToList();

    [Theory, StorageProviders]
    public async Task An_xlsx_export_imports_back_into_an_empty_installation_unchanged(string provider)
    {
        await using var source = await MembersHost.StartAsync(provider);
        var first = await Import(source, await BulkImportTests.SyntheticFileAsync(40, 21, MemberFileFormat.Xlsx));
        first.Errors.Should().BeEmpty();

        using var exported = new MemoryStream();
        await source.Run<ImportExportService>(s => s.ExportAsync(TestOrganisation.Ward, exported, MemberFileFormat.Xlsx, CancellationToken.None));
        exported.Position = 0;
        MemberFileFormats.Detect("danh-sach.csv", exported).Should().Be(MemberFileFormat.Xlsx, "the content decides over the name");
        await using var target = await MembersHost.StartAsync(provider);
        var result = await Import(target, exported);

        result.Errors.Should().BeEmpty();
        result.Imported.Should().Be(40);
        var expected = Files(await source.Db(db => db.Members.AsNoTracking().ToListAsync()));
        Files(await target.Db(db => db.Members.AsNoTracking().ToListAsync())).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task Dates_import_from_excel_date_cells_and_from_dd_MM_yyyy_text()
    {
        await using var host = await MembersHost.StartAsync();
        var born = new DateOnly(1985, 4, 2);

        var result = await Import(host, Workbook(
            ["Nguyễn Văn An", "Nam", born, "Kinh", Sample.CitizenId(Gender.Male, born), "HN.01.01.A", "Chính thức", new DateOnly(2010, 3, 1), "01-QĐ/ĐU", new DateOnly(2010, 3, 10), new DateOnly(2011, 3, 10)],
            ["Trần Thị Bình", "Nữ", "02/04/1985", "Tày", Sample.CitizenId(Gender.Female, born), "HN.01.02", "Dự bị", "01/03/2026", "05-QĐ/ĐU", "10/03/2026", ""]));

        result.Errors.Should().BeEmpty();
        var members = await host.Db(db => db.Members.AsNoTracking().OrderBy(m => m.FullName).ToListAsync());
        members.Select(m => (m.FullName, m.DateOfBirth, m.AdmissionDate, m.OfficialDate)).Should().Equal(
            ("Nguyễn Văn An", born, new DateOnly(2010, 3, 1), new DateOnly(2011, 3, 10)),
            ("Trần Thị Bình", born, new DateOnly(2026, 3, 1), (DateOnly?)null));
    }

    [Fact]
    public async Task Wrong_types_are_errors_by_excel_row_and_column_and_nothing_is_imported()
    {
        await using var host = await MembersHost.StartAsync();
        var born = new DateOnly(1985, 4, 2);

        var result = await Import(host, Workbook(
            ["Nguyễn Văn An", "Nam", born, "Kinh", Sample.CitizenId(Gender.Male, born), "HN.01.01.A", "Chính thức", new DateOnly(2010, 3, 1), "01-QĐ/ĐU", new DateOnly(2010, 3, 10), new DateOnly(2011, 3, 10)],
            ["Trần Văn Cường", 1, "ngày hai tháng tư", "Kinh", Sample.CitizenId(Gender.Male, born), "HN.01.01.A", "Chính thức", true, "01-QĐ/ĐU", new DateOnly(2010, 3, 10), new DateOnly(2011, 3, 10)]));

        result.Imported.Should().Be(0);
        result.Errors.Select(e => (e.Row, e.Column)).Should().BeEquivalentTo(new[] { (3, "Giới tính"), (3, "Ngày sinh"), (3, "Ngày vào Đảng") });
        result.Errors.Should().OnlyContain(e => e.MessageVi.Length > 0 && e.MessageVi != e.MessageEn);
        (await host.Db(db => db.Members.CountAsync())).Should().Be(0);
    }

    [Fact]
    public async Task A_missing_required_header_is_named()
    {
        await using var host = await MembersHost.StartAsync();
        var file = new MemoryStream();
        Xlsx.Write(file, "Đảng viên", ["Họ và tên", "Giới tính"], [["Nguyễn Văn An", "Nam"]]);
        file.Position = 0;

        var result = await Import(host, file);

        result.Errors.Select(e => e.Column).Should().Contain(["Ngày sinh", "Số CCCD", "Mã chi bộ", "Trạng thái"]);
        result.Errors.Should().OnlyContain(e => e.Row == 1 && e.MessageVi.StartsWith("Thiếu cột"));
    }

    [Fact]
    public async Task A_file_that_is_not_a_workbook_or_has_no_sheet_is_refused_in_Vietnamese_first()
    {
        await using var host = await MembersHost.StartAsync();
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var entry = archive.CreateEntry("ghi-chu.txt").Open();
            await entry.WriteAsync(Encoding.UTF8.GetBytes("không phải bảng tính"));
        }

        zip.Position = 0;
        var noSheet = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(noSheet, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            document.AddWorkbookPart().Workbook = new Workbook(new Sheets());
        }

        noSheet.Position = 0;

        var text = await Import(host, new MemoryStream(Encoding.UTF8.GetBytes("Họ và tên,Giới tính\nAn,Nam\n")));
        var otherZip = await Import(host, zip);
        var empty = await Import(host, noSheet);

        text.Errors.Should().ContainSingle().Which.MessageVi.Should().StartWith("Tệp không phải là bảng tính Excel (.xlsx)");
        otherZip.Errors.Should().ContainSingle().Which.MessageVi.Should().StartWith("Tệp không phải là bảng tính Excel (.xlsx)");
        empty.Errors.Should().ContainSingle().Which.MessageVi.Should().Be("Bảng tính không có trang tính nào.");
        MemberFileFormats.Detect("DANH-SACH.XLSX").Should().Be(MemberFileFormat.Xlsx);
        MemberFileFormats.Detect("danh-sach.csv", new MemoryStream(Encoding.UTF8.GetBytes("Họ và tên"))).Should().Be(MemberFileFormat.Csv);
    }

    [Fact]
    public async Task Statistics_write_one_tidy_sheet_with_vietnamese_labels_and_shares()
    {
        await using var host = await MembersHost.StartAsync();
        (await Import(host, await BulkImportTests.SyntheticFileAsync(30, 4, MemberFileFormat.Xlsx))).Errors.Should().BeEmpty();
        var statistics = await host.Run<QueryService, MemberStatistics>(s => s.StatisticsAsync(TestOrganisation.Ward, MembersHost.Today, CancellationToken.None));

        using var file = new MemoryStream();
        await StatisticsXlsx.WriteAsync(statistics, file, CancellationToken.None);
        file.Position = 0;
        var rows = Xlsx.Read(file).Select(r => r.Fields).ToList();

        rows[0].Should().Equal(StatisticsXlsx.Headers);
        rows.Should().ContainEquivalentOf(new[] { "Tổng số đảng viên trong danh sách", "Tất cả", "30", "100" });
        var men = statistics.ByGender.GetValueOrDefault("Male");
        rows.Should().ContainEquivalentOf(new[] { "Giới tính", "Nam", men.ToString(), ((double)Math.Round(100m * men / 30, 2)).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        rows.Where(r => r[0] == "Độ tuổi").Sum(r => int.Parse(r[2])).Should().Be(30);
        rows.Where(r => r[0] == "Dân tộc").Should().Contain(r => r[1] == "Kinh");
        rows.Where(r => r[0] == "Lý luận chính trị").Select(r => r[1]).Should().OnlyContain(l => l != "Intermediate" && l != "None");
    }
}
