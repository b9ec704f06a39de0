using System.Net;
using System.Text;
using UglyToad.PdfPig;

namespace DangVu.Web.Tests;

/// <summary>The Members module's forms, lists, statistics, import and the member's own view, over HTTP against the real host.</summary>
public sealed class MembersFormsTests(MembersWebFixture web) : IClassFixture<MembersWebFixture>
{
    private const string CellA = "HN.BD.CB1";
    private const string CellB = "HN.BD.CB2";

    [Fact]
    public async Task A_member_file_with_a_bad_CCCD_is_refused_next_to_the_field_with_the_input_kept_then_saved_when_corrected()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        var fields = MemberForms.OfficialFile(CellA, "Đặng Thị Mai", born: new DateOnly(1990, 5, 1));
        var good = fields["citizen_id"];
        fields["citizen_id"] = "12345";

        var refused = await lan.SubmitAsync("/members/new", "register", fields);
        fields["citizen_id"] = good;
        var saved = await lan.SubmitAsync("/members/new", "register", fields);
        var profile = await lan.PageAsync(saved.Location!);

        refused.Status.Should().Be(HttpStatusCode.BadRequest);
        refused.Text("#register-citizen_id-error").Should().Contain("CCCD");
        refused.Document.QuerySelector("#full_name")!.GetAttribute("value").Should().Be("Đặng Thị Mai", "the input is kept");
        refused.Document.QuerySelector("#citizen_id")!.GetAttribute("value").Should().Be("12345");
        saved.Status.Should().Be(HttpStatusCode.Found, saved.Html);
        profile.Text("#member-name").Should().Be("Đặng Thị Mai");
        profile.Text("#member-status").Should().Be("Chính thức");
    }

    [Fact]
    public async Task Recognition_before_twelve_months_of_probation_is_refused_in_Vietnamese_and_keeps_the_input()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        var today = MemberForms.Today;
        var fields = MemberForms.Profile("Vũ Văn Khang", false, new DateOnly(2000, 1, 15));
        fields["org_unit_id"] = CellA;
        fields["decision_number"] = "12-QĐ/ĐU";
        fields["decision_date"] = today.ToString("yyyy-MM-dd");
        fields["ceremony_date"] = today.ToString("yyyy-MM-dd");
        fields["introducers[0].full_name"] = "Trần Thị Lan";
        fields["introducers[0].since"] = "2020-01-01";
        fields["introducers[1].full_name"] = "Lê Văn Bình";
        fields["introducers[1].since"] = "2020-01-01";
        var admitted = await lan.SubmitAsync("/members/admit", "admit", fields);
        admitted.Status.Should().Be(HttpStatusCode.Found, admitted.Html);
        var profilePath = admitted.Location!.Split('?')[0];

        var refused = await lan.SubmitAsync(profilePath, "recognize",
            new Dictionary<string, string> { ["decision_number"] = "20-NQ/CB", ["decision_date"] = today.ToString("yyyy-MM-dd") });
        var after = await lan.PageAsync(profilePath);

        refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        refused.Text("#recognize-error").Should().StartWith("Chưa đủ thời gian dự bị: thời gian dự bị kết thúc ngày " + today.AddMonths(12).ToString("dd/MM/yyyy"));
        refused.Document.QuerySelector("#recognize-number")!.GetAttribute("value").Should().Be("20-NQ/CB");
        after.Text("#member-status").Should().Be("Dự bị", "nothing was saved");
        after.Document.QuerySelectorAll("#member-history li").Should().ContainSingle(li => li.TextContent.Contains("Kết nạp vào Đảng"));
    }

    [Fact]
    public async Task A_form_filled_before_someone_else_changed_the_member_is_refused_as_a_concurrent_edit_and_saves_nothing()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        using var other = await web.SignedInAsync("lan.tt");
        var profilePath = await MemberForms.EnterAsync(lan, CellA, "Phan Văn Tùng", female: false);
        var opened = await lan.PageAsync(profilePath);
        var versionSeen = opened.Document.QuerySelector("#form-leave input[name=version]")!.GetAttribute("value")!;
        var today = MemberForms.Today.ToString("yyyy-MM-dd");
        var exempted = await other.SubmitAsync(profilePath, "exempt",
            new Dictionary<string, string> { ["reason"] = "Age", ["decision_number"] = "30-QĐ/ĐU", ["decision_date"] = today });

        var stale = await lan.SubmitAsync(profilePath, "leave", new Dictionary<string, string>
        {
            ["leave_reason"] = "Resigned", ["decision_number"] = "31-QĐ/ĐU", ["date"] = today, ["version"] = versionSeen,
        });

        exempted.Status.Should().Be(HttpStatusCode.Found, exempted.Html);
        stale.Status.Should().Be(HttpStatusCode.Conflict, stale.Html);
        stale.Text("#leave-error").Should().StartWith("Hồ sơ vừa được người khác sửa");
        stale.Document.QuerySelector("#leave-number")!.GetAttribute("value").Should().Be("31-QĐ/ĐU");
        (await lan.PageAsync(profilePath)).Text("#member-status").Should().Be("Miễn sinh hoạt", "the stale form saved nothing");
    }

    [Fact]
    public async Task Chi_bo_B_secretary_gets_403_on_a_chi_bo_A_member_its_forms_lists_and_downloads()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        using var binh = await web.SignedInAsync("binh.lv");
        var profilePath = await MemberForms.EnterAsync(lan, CellA, "Hồ Thị Nhàn");

        var profile = await binh.PageAsync(profilePath);
        var dues = await binh.PageAsync(profilePath + "/dues");
        var leave = await binh.SubmitAsync("/members/new", "register", new Dictionary<string, string>
        {
            ["_handler"] = "leave", ["leave_reason"] = "Resigned", ["decision_number"] = "1", ["date"] = MemberForms.Today.ToString("yyyy-MM-dd"), ["version"] = "1",
        }, action: profilePath);
        var statistics = await binh.PageAsync($"/members/statistics?org={CellA}");
        var sheet = await binh.PageAsync($"/members/dues?org={CellA}");
        var due = await binh.PageAsync($"/members/due?org={CellA}");
        using var pdf = await binh.GetAsync($"/members/statistics.pdf?org={CellA}");
        using var csv = await binh.GetAsync($"/members/export.csv?org={CellA}");
        using var xlsx = await binh.GetAsync($"/members/export.xlsx?org={CellA}");
        using var statisticsXlsx = await binh.GetAsync($"/members/statistics.xlsx?org={CellA}");
        var after = await lan.PageAsync(profilePath);

        profile.Status.Should().Be(HttpStatusCode.Forbidden);
        profile.Html.Should().NotContain("Hồ Thị Nhàn");
        dues.Status.Should().Be(HttpStatusCode.Forbidden);
        dues.Html.Should().NotContain("Hồ Thị Nhàn");
        ((int)leave.Status).Should().BeInRange(400, 403, "a form of a member she may not see is refused");
        statistics.Status.Should().Be(HttpStatusCode.Forbidden);
        sheet.Status.Should().Be(HttpStatusCode.Forbidden);
        due.Status.Should().Be(HttpStatusCode.Forbidden);
        pdf.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        csv.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await csv.Content.ReadAsStringAsync()).Should().NotContain("Hồ Thị Nhàn");
        xlsx.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        statisticsXlsx.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        after.Text("#member-status").Should().Be("Chính thức", "the refused form changed nothing");
    }

    [Fact]
    public async Task An_import_with_errors_shows_them_by_row_and_column_and_imports_nothing_then_a_good_file_imports()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        var born = new DateOnly(1982, 7, 9);
        const string header = "Họ và tên,Giới tính,Ngày sinh,Dân tộc,Tôn giáo,Số CCCD,Mã chi bộ,Trạng thái,Ngày vào Đảng,Số quyết định kết nạp,Ngày lễ kết nạp,Ngày chính thức";
        string Row(string name, string cccd, string cell) => $"{name},Nam,{born:dd/MM/yyyy},Kinh,Không,{cccd},{cell},Chính thức,01/03/2010,01-QĐ/ĐU,10/03/2010,10/03/2011";
        var bad = Encoding.UTF8.GetBytes(string.Join("\r\n", header,
            Row("Ngô Văn Nhập", MemberForms.CitizenId(false, born), CellA),
            Row("Ngô Văn Sai", "12345", CellA),
            Row("Ngô Văn Lạc", MemberForms.CitizenId(false, born), "HN.KHONG.CO")) + "\r\n");
        var good = Encoding.UTF8.GetBytes(string.Join("\r\n", header,
            Row("Ngô Văn Nhập", MemberForms.CitizenId(false, born), CellA),
            Row("Ngô Văn Đúng", MemberForms.CitizenId(false, born), CellA)) + "\r\n");

        var refused = await lan.SubmitFileAsync("/members/import", "import", "file", "dang-vien.csv", bad);
        var afterRefusal = await lan.PageAsync($"/members?org={CellA}&q=ngo van");
        var imported = await lan.SubmitFileAsync("/members/import", "import", "file", "dang-vien.csv", good);
        var afterImport = await lan.PageAsync($"/members?org={CellA}&q=ngo van");
        var empty = await lan.SubmitFileAsync("/members/import", "import", "file", "rong.csv", []);

        refused.Status.Should().Be(HttpStatusCode.UnprocessableEntity, refused.Html);
        refused.Text("#import-failed").Should().Contain("chưa nhập hồ sơ nào");
        var rows = refused.Document.QuerySelectorAll("#import-errors tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToArray()).ToList();
        rows.Should().Contain(r => r[0] == "3" && r[1] == "Số CCCD");
        rows.Should().Contain(r => r[0] == "4" && r[1] == "Mã chi bộ");
        afterRefusal.Text("#members-total").Should().Be("0 đảng viên", "nothing of a file with errors is imported");
        imported.Status.Should().Be(HttpStatusCode.OK, imported.Html);
        imported.Text("#import-done").Should().Be("Đã nhập 2 hồ sơ đảng viên.");
        afterImport.Text("#members-total").Should().Be("2 đảng viên");
        empty.Status.Should().Be(HttpStatusCode.BadRequest);
        empty.Text("#import-file-error").Should().Be("Chưa chọn tệp hoặc tệp rỗng.");
    }

    [Fact]
    public async Task The_statistics_page_charts_the_subtree_and_its_PDF_reads_back_in_Vietnamese()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        await MemberForms.EnterAsync(lan, CellA, "Lý Thị Thống Kê");

        var page = await lan.PageAsync($"/members/statistics?org={CellA}");
        using var pdf = await lan.GetAsync(page.Document.QuerySelector("#statistics-pdf")!.GetAttribute("href")!);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Document.QuerySelectorAll("#statistics-gender svg rect").Should().NotBeEmpty();
        page.Text("#statistics-gender")!.Should().Contain("Nữ");
        page.Text("#statistics-ethnicity")!.Should().Contain("Kinh");
        pdf.StatusCode.Should().Be(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        using var document = PdfDocument.Open(bytes);
        var text = string.Join(" ", document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        text.Should().Contain("Đảng viên").And.Contain("Chi bộ Khu dân cư số 1").And.Contain("Nữ").And.Contain("Kinh");
    }

    [Fact]
    public async Task The_list_and_statistics_download_as_Excel_and_the_import_page_reads_the_Excel_file_back()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        await MemberForms.EnterAsync(lan, CellA, "Đặng Thị Xuất Excel");

        var list = await lan.PageAsync($"/members?org={CellA}");
        using var export = await lan.GetAsync(list.Document.QuerySelector("#members-export-xlsx")!.GetAttribute("href")!);
        var workbook = await export.Content.ReadAsByteArrayAsync();
        var statistics = await lan.PageAsync($"/members/statistics?org={CellA}");
        using var sheet = await lan.GetAsync(statistics.Document.QuerySelector("#statistics-xlsx")!.GetAttribute("href")!);
        var again = await lan.SubmitFileAsync("/members/import", "import", "file", "dang-vien.xlsx", workbook);

        export.StatusCode.Should().Be(HttpStatusCode.OK);
        workbook.AsSpan(0, 4).SequenceEqual("PK\u0003\u0004"u8).Should().BeTrue("an .xlsx is a zip package");
        sheet.StatusCode.Should().Be(HttpStatusCode.OK);
        sheet.Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        again.Status.Should().Be(HttpStatusCode.UnprocessableEntity, "the exported members are already on the rolls");
        again.Document.QuerySelectorAll("#import-errors tbody tr").Select(r => r.QuerySelectorAll("td")[1].TextContent)
            .Should().Contain("Số CCCD", "the page read the workbook's rows and checked them");
    }

    [Fact]
    public async Task A_linked_account_sees_only_its_own_member_file_and_dues()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        var own = await MemberForms.EnterAsync(lan, CellA, "Nguyễn Thị Hoa");
        var other = await MemberForms.EnterAsync(lan, CellA, "Nguyễn Thị Khác");
        var linked = await lan.SubmitAsync(own, "link", new Dictionary<string, string> { ["user_name"] = MembersWebFixture.Member });
        var twice = await lan.SubmitAsync(other, "link", new Dictionary<string, string> { ["user_name"] = MembersWebFixture.Member });
        using var hoa = await web.SignedInAsync(MembersWebFixture.Member);
        using var binh = await web.SignedInAsync("binh.lv");

        var handbook = await hoa.PageAsync("/members/me");
        var ownProfile = await hoa.PageAsync(own);
        var otherProfile = await hoa.PageAsync(other);
        var list = await hoa.PageAsync("/members");
        var notLinked = await binh.PageAsync("/members/me");

        linked.Status.Should().Be(HttpStatusCode.Found, linked.Html);
        (await lan.PageAsync(own)).Text("#member-account").Should().Be($"Đang liên kết với tài khoản {MembersWebFixture.Member}.");
        twice.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        twice.Text("#link-error").Should().Contain("đã được liên kết với hồ sơ của một đảng viên khác");
        handbook.Status.Should().Be(HttpStatusCode.OK);
        handbook.Text("#handbook-name").Should().Be("Nguyễn Thị Hoa");
        handbook.Document.QuerySelectorAll("#dues-ledger tbody tr").Should().NotBeEmpty("she sees her own dues ledger");
        ownProfile.Status.Should().Be(HttpStatusCode.Forbidden, "the module's pages still need a role; her file is in the handbook");
        otherProfile.Status.Should().Be(HttpStatusCode.Forbidden);
        otherProfile.Html.Should().NotContain("Nguyễn Thị Khác");
        list.Text("#members-none").Should().NotBeNull();
        notLinked.Status.Should().Be(HttpStatusCode.OK);
        notLinked.Text("#handbook-none").Should().StartWith("Tài khoản của bạn chưa được liên kết");

        var unlinked = await lan.SubmitAsync(own, "unlink", new Dictionary<string, string>());
        unlinked.Status.Should().Be(HttpStatusCode.Found, unlinked.Html);
        (await hoa.PageAsync("/members/me")).Text("#handbook-none").Should().NotBeNull("an unlinked account sees no file");
    }

    [Fact]
    public async Task The_collection_sheet_computes_dues_from_the_basis_and_records_a_payment_with_the_kept_and_sent_up_split()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        var profile = await MemberForms.EnterAsync(lan, CellA, "Trương Văn Đảng Phí", female: false);
        var today = MemberForms.Today;
        var month = $"{today.Year:0000}-{today.Month:00}";
        var sheetPath = $"/members/dues?org={CellA}&year={today.Year}&month={today.Month}";

        var badBasis = await lan.SubmitAsync(profile + "/dues", "basis", new Dictionary<string, string> { ["kind"] = "InsuranceSalary", ["amount"] = "", ["from_month"] = month });
        var basis = await lan.SubmitAsync(profile + "/dues", "basis", new Dictionary<string, string> { ["kind"] = "InsuranceSalary", ["amount"] = "10000000", ["from_month"] = month });
        var memberId = profile.Split('/').Last();
        var sheet = await lan.PageAsync(sheetPath);
        var row = sheet.Document.QuerySelector($"#dues-sheet tr[data-member='{memberId}']")!;
        var paid = await lan.SubmitAsync(sheetPath, $"pay-{memberId}", new Dictionary<string, string> { ["amount"] = "100000", ["paid_on"] = today.ToString("yyyy-MM-dd") });
        var after = await lan.PageAsync(sheetPath);
        var ledger = await lan.PageAsync(profile + "/dues");

        badBasis.Status.Should().Be(HttpStatusCode.BadRequest);
        badBasis.Text("#form-basis .field-error").Should().NotBeNullOrEmpty("a salary basis needs its amount");
        basis.Status.Should().Be(HttpStatusCode.Found, basis.Html);
        row.QuerySelectorAll("td")[2].TextContent.Should().Be("100.000", "1% of the insurance salary");
        paid.Status.Should().Be(HttpStatusCode.Found, paid.Html);
        after.Document.QuerySelector($"#dues-sheet tr[data-member='{memberId}']")!.QuerySelectorAll("td")[3].TextContent.Should().Be("100.000");
        long Money(string selector) => long.Parse(after.Text(selector)!.Replace(" đ", "").Replace(".", ""));
        (Money("#dues-kept") + Money("#dues-sent-up")).Should().Be(Money("#dues-total-paid"));
        Money("#dues-total-paid").Should().BeGreaterThanOrEqualTo(100_000);
        ledger.Document.QuerySelectorAll("#dues-ledger tbody tr").Should().Contain(r => r.TextContent.Contains(today.ToString("dd/MM/yyyy")));
    }

    [Fact]
    public async Task The_due_lists_show_badge_candidates_of_the_batch_and_members_with_three_unpaid_months_per_subtree()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        using var binh = await web.SignedInAsync("binh.lv");
        var today = MemberForms.Today;
        var veteran = MemberForms.OfficialFile(CellA, "Quách Văn Lão Thành", female: false, born: new DateOnly(1950, 2, 3));
        veteran["admission_date"] = "1990-01-05";
        veteran["ceremony_date"] = "1990-01-15";
        veteran["official_date"] = "1991-01-15";
        var saved = await lan.SubmitAsync("/members/new", "register", veteran);
        saved.Status.Should().Be(HttpStatusCode.Found, saved.Html);
        var profile = saved.Location!.Split('?')[0];
        var basis = await lan.SubmitAsync(profile + "/dues", "basis",
            new Dictionary<string, string> { ["kind"] = "Pension", ["amount"] = "6000000", ["from_month"] = $"{today.Year - 1:0000}-01" });
        basis.Status.Should().Be(HttpStatusCode.Found, basis.Html);

        var badges = await lan.PageAsync($"/members/due/badges?org={CellA}");
        var unpaid = await lan.PageAsync($"/members/due/unpaid?org={CellA}&year={today.Year - 1}");
        var otherCell = await binh.PageAsync($"/members/due/badges?org={CellB}");
        var unknownList = await lan.PageAsync("/members/due/khong-co");

        badges.Status.Should().Be(HttpStatusCode.OK);
        badges.Text("#due-badges")!.Should().Contain("Quách Văn Lão Thành").And.Contain("30 năm tuổi Đảng");
        badges.Document.QuerySelector("#due-unpaid").Should().BeNull("one list per page when a list is chosen");
        unpaid.Text("#due-unpaid")!.Should().Contain("Quách Văn Lão Thành").And.Contain($"01/{today.Year - 1}").And.Contain($"12/{today.Year - 1}");

        otherCell.Status.Should().Be(HttpStatusCode.OK);
        otherCell.Html.Should().NotContain("Quách Văn Lão Thành", "chi bộ 2's secretary sees only her own chi bộ");
        unknownList.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_transfer_letter_from_chi_bo_1_is_confirmed_by_chi_bo_2_and_the_member_moves_with_it()
    {
        using var lan = await web.SignedInAsync("lan.tt");
        using var binh = await web.SignedInAsync("binh.lv");
        var profile = await MemberForms.EnterAsync(lan, CellA, "Mạc Văn Chuyển", female: false);
        var today = MemberForms.Today.ToString("yyyy-MM-dd");

        var sent = await lan.SubmitAsync(profile, "transfer", new Dictionary<string, string>
        {
            ["kind"] = "Official", ["to_org_unit_id"] = CellB, ["letter_number"] = "77-GGT/ĐU", ["decision_date"] = today, ["letter_date"] = today, ["reason"] = "Chuyển nơi cư trú",
        });
        var inTransfer = await lan.PageAsync(profile);
        var pending = await binh.PageAsync($"/members/due/transfers?org={CellB}");
        var letterForm = pending.Document.QuerySelectorAll("#due-transfers form input[name=_handler]").Single().GetAttribute("value")!;
        var confirmed = await binh.SubmitAsync($"/members/due/transfers?org={CellB}", letterForm, new Dictionary<string, string> { ["received_on"] = today });

        sent.Status.Should().Be(HttpStatusCode.Found, sent.Html);
        inTransfer.Text("#member-status").Should().Be("Đang chuyển sinh hoạt");
        inTransfer.Document.QuerySelector("#form-transfer").Should().BeNull("a second letter is not offered while one waits");
        pending.Text("#due-transfers")!.Should().Contain("Mạc Văn Chuyển").And.Contain("77-GGT/ĐU");
        confirmed.Status.Should().Be(HttpStatusCode.Found, confirmed.Html);
        var atNewCell = await binh.PageAsync(profile);
        atNewCell.Status.Should().Be(HttpStatusCode.OK);
        atNewCell.Text("#member-unit").Should().Be("Chi bộ Khu dân cư số 2");
        atNewCell.Text("#member-status").Should().Be("Chính thức");
        (await lan.PageAsync(profile)).Status.Should().Be(HttpStatusCode.Forbidden, "the member's file left chi bộ 1");
    }
}
