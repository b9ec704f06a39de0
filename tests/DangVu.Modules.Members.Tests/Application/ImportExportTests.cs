using System.Text;
using DangVu.Modules.Members.Application;
using DangVu.Modules.Members.Domain;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Application;

public sealed class ImportExportTests
{
    private const string Header =
        "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Tôn giáo,Số CCCD,Số thẻ đảng viên,Mã chi bộ,Trạng thái,Ngày vào Đảng,Số quyết định kết nạp,Ngày lễ kết nạp,Ngày chính thức,Lý luận chính trị,Địa chỉ";

    private static string Row(string name, string gender, DateOnly born, string cccd, string cell, string status = "Chính thức",
        string ethnicity = "Kinh", string card = "", string address = "Số 1, phố Huế") =>
        $"{name},{gender},{born:dd/MM/yyyy},{ethnicity},Không,{cccd},{card},{cell},{status},01/03/2010,01-QĐ/ĐU,10/03/2010,{(status == "Dự bị" ? "" : "10/03/2011")},Trung cấp,\"{address}\"";

    private static Task<ImportResult> Import(MembersHost host, params string[] rows) =>
        host.Run<ImportExportService, ImportResult>(s => s.ImportAsync(
            new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. rows]) + "\r\n")), MemberFileFormat.Csv, null, CancellationToken.None));

    private static string Cccd(Gender gender, DateOnly born) => Sample.CitizenId(gender, born);

    [Theory, StorageProviders]
    public async Task A_valid_file_imports_every_row_with_its_timeline_entry(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var born = new DateOnly(1985, 4, 2);

        var result = await Import(host,
            Row("Nguyễn Văn An", "Nam", born, Cccd(Gender.Male, born), "HN.01.01.A"),
            Row("Trần Thị Bình", "Nữ", born, Cccd(Gender.Female, born), "HN.01.02", ethnicity: "Tày"),
            Row("Lê Văn Cường", "Nam", born, Cccd(Gender.Male, born), "HN.01.01.B"));

        result.Errors.Should().BeEmpty();
        result.Succeeded.Should().BeTrue();
        result.Imported.Should().Be(3);
        var members = await host.Db(db => db.Members.AsNoTracking().OrderBy(m => m.SortName).ToListAsync());
        members.Select(m => (m.FullName, m.OwnerOrgUnitId)).Should().Equal(
            ("Nguyễn Văn An", TestOrganisation.CellA), ("Trần Thị Bình", TestOrganisation.CellC), ("Lê Văn Cường", TestOrganisation.CellB));
        members[1].EthnicityCode.Should().Be("02");
        members[0].Address.Should().Be("Số 1, phố Huế");
        members[0].TheoryLevel.Should().Be(TheoryLevel.Intermediate);
        var timeline = await host.Run<QueryService, IReadOnlyList<HistoryEntry>>(s => s.HistoryAsync(members[0].Id, CancellationToken.None));
        timeline.Should().ContainSingle();
        timeline[0].Action.Should().Be(Member.ImportedAction);
        timeline[0].Summary.Should().Be("Nhập hồ sơ từ tệp");
        timeline[0].Actor.Should().Be(MembersHost.WardOffice, "the timeline names who imported the file");
        timeline[0].At.Should().Be(members[0].CreatedAt);
    }

    [Theory, StorageProviders]
    public async Task An_imported_member_keeps_the_import_first_in_the_timeline_before_later_changes(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var born = new DateOnly(1985, 4, 2);
        (await Import(host, Row("Nguyễn Văn An", "Nam", born, Cccd(Gender.Male, born), "HN.01.01.A"))).Succeeded.Should().BeTrue();
        var member = await host.Db(db => db.Members.AsNoTracking().SingleAsync());

        await host.Run<StatusService, Member>(s => s.ExemptAsync(
            new ExemptMemberCommand(member.Id, member.Version, ExemptionReason.Age, "05-QĐ/ĐU", new DateOnly(2026, 1, 5), ""), CancellationToken.None));

        var timeline = await host.Run<QueryService, IReadOnlyList<HistoryEntry>>(s => s.HistoryAsync(member.Id, CancellationToken.None));
        timeline.Select(h => h.Action).Should().Equal(Member.ImportedAction, "exempted");
        (await host.Db(db => db.History.CountAsync())).Should().Be(1, "the import itself is not stored as a history row per member");
    }

    [Theory, StorageProviders]
    public async Task Imported_members_and_those_saved_before_or_after_are_found_by_any_part_of_the_name(string provider)
    {
        await using var host = await MembersHost.StartAsync(provider);
        var earlier = await host.RegisterOfficialAsync("Phạm Văn Khánh", TestOrganisation.CellA, new DateOnly(2010, 3, 2));
        var born = new DateOnly(1985, 4, 2);
        (await Import(host, Row("Nguyễn Văn Khánh", "Nam", born, Cccd(Gender.Male, born), "HN.01.01.A"), Row("Trần Khánh Linh", "Nữ", born, Cccd(Gender.Female, born), "HN.01.02")))
            .Succeeded.Should().BeTrue();
        var later = await host.RegisterOfficialAsync("Lê Khánh", TestOrganisation.CellB, new DateOnly(2012, 3, 2));

        var found = await host.Run<QueryService, SearchResult>(s => s.SearchAsync(new MemberSearch { OrgUnitId = TestOrganisation.Ward, Text = "khanh" }, CancellationToken.None));

        found.Items.Select(i => i.FullName).Should().Equal("Lê Khánh", "Nguyễn Văn Khánh", "Phạm Văn Khánh", "Trần Khánh Linh");
        found.Items.Select(i => i.Id).Should().Contain([earlier.Id, later.Id]);
    }

    [Fact]
    public async Task A_file_with_errors_imports_nothing_and_reports_each_error_by_row_and_column()
    {
        await using var host = await MembersHost.StartAsync();
        var born = new DateOnly(1985, 4, 2);
        var cccd = Cccd(Gender.Male, born);

        var result = await Import(host,
            Row("Nguyễn Văn An", "Nam", born, cccd, "HN.01.01.A"),
            Row("Trần Thị Bình", "Không rõ", born, Cccd(Gender.Female, born), "HN.01.01.A"),
            Row("Lê Văn Cường", "Nam", born, "12345", "HN.99"),
            Row("Phạm Văn Dũng", "Nam", born, cccd, "HN.01.01.A", ethnicity: "Sao Hỏa"),
            Row("Hoàng Thị Em", "Nữ", born, Cccd(Gender.Female, born), "HN.01.01.A", status: "Chính thức") .Replace("10/03/2011", "10/09/2010"));

        result.Imported.Should().Be(0);
        result.Errors.Select(e => (e.Row, e.Column)).Should().BeEquivalentTo(new[]
        {
            (3, "Giới tính"),
            (4, "Mã chi bộ"), (4, "Số CCCD"),
            (5, "Dân tộc"),
            (6, "Ngày chính thức"),
        });
        result.Errors.Should().OnlyContain(e => e.MessageVi.Length > 0 && e.MessageVi != e.MessageEn);
        (await host.Db(db => db.Members.CountAsync())).Should().Be(0, "nothing is half-imported");
    }

    [Fact]
    public async Task Numbers_repeated_in_the_file_or_already_on_file_are_row_errors()
    {
        await using var host = await MembersHost.StartAsync();
        var existing = await host.RegisterOfficialAsync("Vũ Văn Hải", TestOrganisation.CellA, new DateOnly(2010, 3, 2), card: "11112222");
        var born = new DateOnly(1985, 4, 2);
        var cccd = Cccd(Gender.Male, born);

        var result = await Import(host,
            Row("Nguyễn Văn An", "Nam", born, cccd, "HN.01.01.A"),
            Row("Nguyễn Văn An Hai", "Nam", born, cccd, "HN.01.01.A"),
            Row("Vũ Văn Hải", "Nam", existing.DateOfBirth, existing.CitizenId, "HN.01.01.A", card: "11112222"));

        result.Errors.Select(e => (e.Row, e.Column)).Should().BeEquivalentTo(new[] { (3, "Số CCCD"), (4, "Số CCCD"), (4, "Số thẻ đảng viên") });
        result.Errors.First(e => e.Row == 3).MessageVi.Should().Contain("dòng 2");
    }

    [Fact]
    public async Task A_missing_column_or_a_chi_bo_outside_the_callers_rights_is_reported()
    {
        await using var host = await MembersHost.StartAsync();
        var noStatus = await host.Run<ImportExportService, ImportResult>(s => s.ImportAsync(
            new MemoryStream(Encoding.UTF8.GetBytes("Họ và tên,Giới tính\nAn,Nam\n")), MemberFileFormat.Csv, null, CancellationToken.None));
        noStatus.Errors.Select(e => e.Column).Should().Contain(["Trạng thái", "Số CCCD", "Mã chi bộ"]);

        host.As(MembersHost.Secretary);
        var born = new DateOnly(1985, 4, 2);
        var result = await Import(host, Row("Nguyễn Văn An", "Nam", born, Cccd(Gender.Male, born), "HN.01.01.B"));
        result.Errors.Should().ContainSingle().Which.Should().Match<ImportError>(e => e.Column == "Mã chi bộ" && e.MessageVi.Contains("Không có quyền"));
    }

    [Fact]
    public async Task An_export_imports_back_into_an_empty_installation_unchanged()
    {
        await using var source = await MembersHost.StartAsync();
        Guid[] cells = [TestOrganisation.CellA, TestOrganisation.CellB, TestOrganisation.CellC];
        foreach (var m in SyntheticMembers.Generate(30, seed: 11, MembersHost.Today, cells.Length))
        {
            await source.Run<AdmissionService, Member>(s => s.RegisterAsync(
                new RegisterMemberCommand(cells[m.CellIndex], m.Profile with { Address = "Ngõ 5, \"Khu tập thể\" A" }, m.Status, m.AdmissionDate, "01-QĐ/ĐU", m.CeremonyDate,
                    m.OfficialDate, m.OfficialDate is null ? null : "02-NQ/CB"),
                CancellationToken.None));
        }

        using var csv = new MemoryStream();
        await source.Run<ImportExportService>(s => s.ExportAsync(TestOrganisation.Ward, csv, MemberFileFormat.Csv, CancellationToken.None));
        await using var target = await MembersHost.StartAsync();
        csv.Position = 0;
        var result = await target.Run<ImportExportService, ImportResult>(s => s.ImportAsync(csv, MemberFileFormat.Csv, null, CancellationToken.None));

        result.Errors.Should().BeEmpty();
        result.Imported.Should().Be(30);
        static async Task<List<object>> Files(MembersHost host) => (await host.Db(db => db.Members.AsNoTracking().OrderBy(m => m.CitizenId).ToListAsync()))
            .Select(m => (object)new
            {
                m.FullName, m.Gender, m.DateOfBirth, m.PlaceOfBirth, m.Hometown, m.EthnicityCode, m.ReligionCode, m.CitizenId, m.FileNumber, m.CardNumber,
                m.OwnerOrgUnitId, m.Status, m.AdmissionDate, m.AdmissionDecision, m.AdmissionCeremonyDate, m.OfficialDate, m.OfficialDecision,
                m.GeneralEducation, m.TheoryLevel, m.Occupation, m.Phone, m.Address,
            }).ToList();
        (await Files(target)).Should().BeEquivalentTo(await Files(source), o => o.WithStrictOrdering());
    }
}
