namespace DangVu.Web.Tests;

/// <summary>The Members module's forms in a real browser (Debian's chromium through Playwright).</summary>
public sealed class MembersBrowserTests
{
    [BrowserFact]
    public async Task A_member_admitted_through_the_form_is_recognised_official_twelve_months_later_and_not_before()
    {
        await using var installation = new TestInstallation();
        await installation.InstallModuleAsync("Members");
        var committee = await Committee.SetUpAsync(installation);
        var today = MemberForms.Today;
        string profilePath;
        await using (var server = installation.Cli.Serve())
        {
            await server.WaitUntilReadyAsync();
            await committee.TokenAsync(server, "lan.tt");
            await using var browser = await Browser.OpenAsync(server.Address);
            await browser.SignInAsync("lan.tt", Committee.NewPassword);
            await browser.Page.GotoAsync("/members/admit");
            var page = browser.Page;
            await page.SelectOptionAsync("#org_unit_id", "HN.BD.CB1");
            await page.FillAsync("#decision_number", "15-QĐ/ĐU");
            await page.FillAsync("#decision_date", today.ToString("yyyy-MM-dd"));
            await page.FillAsync("#ceremony_date", today.ToString("yyyy-MM-dd"));
            await page.FillAsync("#full_name", "Trịnh Thị Dự Bị");
            await page.SelectOptionAsync("#gender", "Female");
            await page.FillAsync("#date_of_birth", "1999-09-02");
            await page.FillAsync("#citizen_id", MemberForms.CitizenId(true, new DateOnly(1999, 9, 2)));
            await page.SelectOptionAsync("#ethnicity_code", "01");
            await page.FillAsync("#introducer0", "Trần Thị Lan");
            await page.FillAsync("#introducer0-since", "2021-01-01");
            await page.FillAsync("#introducer1", "Lê Văn Bình");
            await page.FillAsync("#introducer1-since", "2021-01-01");
            await browser.ClickAndWaitForNextPageAsync("#admit-submit");
            profilePath = browser.Path;
            (await page.TextContentAsync("#member-status")).Should().Be("Dự bị");

            await page.FillAsync("#recognize-number", "40-NQ/CB");
            await page.FillAsync("#recognize-date", today.ToString("yyyy-MM-dd"));
            await browser.ClickAndWaitForNextPageAsync("#recognize-submit");
            (await page.TextContentAsync("#recognize-error")).Should().StartWith("Chưa đủ thời gian dự bị");
            (await page.InputValueAsync("#recognize-number")).Should().Be("40-NQ/CB", "the input is kept");
            (await page.TextContentAsync("#member-status")).Should().Be("Dự bị");
        }

        // Twelve months and a few days later, by the module's clock.
        var later = today.AddDays(370);
        await using (var server = installation.Cli.Serve(new Dictionary<string, string> { ["DANGVU__Modules__members__ClockOffsetDays"] = "370" }))
        {
            await server.WaitUntilReadyAsync();
            await using var browser = await Browser.OpenAsync(server.Address);
            await browser.SignInAsync("lan.tt", Committee.NewPassword);
            await browser.Page.GotoAsync("/members/due");
            (await browser.Page.TextContentAsync("#due-recognition")).Should().Contain("Trịnh Thị Dự Bị");
            await browser.Page.GotoAsync(profilePath);
            await browser.Page.FillAsync("#recognize-number", "41-NQ/CB");
            await browser.Page.FillAsync("#recognize-date", later.ToString("yyyy-MM-dd"));
            await browser.ClickAndWaitForNextPageAsync("#recognize-submit");

            (await browser.Page.TextContentAsync("#member-status")).Should().Be("Chính thức");
            (await browser.Page.TextContentAsync("#member-official")).Should().Be(today.AddMonths(12).ToString("dd/MM/yyyy"));
            (await browser.Page.TextContentAsync("#member-history")).Should().Contain("Công nhận đảng viên chính thức");
        }
    }

    [BrowserFact]
    public async Task An_import_file_with_errors_shows_the_error_table_in_the_browser_and_imports_nothing()
    {
        await using var installation = new TestInstallation();
        await installation.InstallModuleAsync("Members");
        var committee = await Committee.SetUpAsync(installation);
        await using var server = installation.Cli.Serve();
        await server.WaitUntilReadyAsync();
        await committee.TokenAsync(server, "lan.tt");
        var file = Path.Combine(installation.Home, "nhap.csv");
        await File.WriteAllTextAsync(file,
            "Họ và tên,Giới tính,Ngày sinh,Số CCCD,Mã chi bộ,Trạng thái,Ngày vào Đảng,Số quyết định kết nạp,Ngày lễ kết nạp,Ngày chính thức\r\n" +
            "Đỗ Văn Lỗi,Nam,01/01/1980,999,HN.BD.CB1,Chính thức,01/03/2010,01-QĐ/ĐU,10/03/2010,10/03/2011\r\n");
        await using var browser = await Browser.OpenAsync(server.Address);
        await browser.SignInAsync("lan.tt", Committee.NewPassword);
        await browser.Page.GotoAsync("/members/import");

        await browser.Page.SetInputFilesAsync("#file", file);
        await browser.ClickAndWaitForNextPageAsync("#import-submit");

        (await browser.Page.TextContentAsync("#import-failed")).Should().Contain("chưa nhập hồ sơ nào");
        (await browser.Page.Locator("#import-errors tbody tr").AllTextContentsAsync()).Should().Contain(r => r.Contains("Số CCCD"));
        await browser.Page.GotoAsync("/members?org=HN.BD.CB1");
        (await browser.Page.TextContentAsync("#members-total")).Should().Be("0 đảng viên");
    }
}
