using System.Net;
using Microsoft.Playwright;

namespace DangVu.Web.Tests;

/// <summary>The web shell in a real browser (Debian's chromium through Playwright).</summary>
[Collection(WebCollection.Name)]
public sealed class BrowserTests(WebServerFixture web)
{
    [BrowserFact]
    public async Task Sign_in_with_the_right_password_opens_the_start_page()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.SignInAsync("vana", WebServerFixture.Password);
        browser.Path.Should().Be("/");
        (await browser.Page.TextContentAsync("#welcome")).Should().Be("Xin chào, Nguyễn Văn An");
        (await browser.Page.TextContentAsync("#current-org")).Should().Be("Chi bộ A");
    }

    [BrowserFact]
    public async Task Wrong_password_shows_the_error_in_Vietnamese()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.SignInAsync("vanb", "mat-khau-sai-1");
        browser.Path.Should().Be("/account/signin");
        (await browser.Page.TextContentAsync("#signin-error")).Should().Be("Tên đăng nhập hoặc mật khẩu không đúng");
        (await browser.Page.InputValueAsync("#userName")).Should().Be("vanb");
    }

    [BrowserFact]
    public async Task Five_wrong_passwords_lock_the_account_even_for_the_right_password()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        for (var i = 0; i < 4; i++)
        {
            await browser.SignInAsync("khoa", $"sai-mat-khau-{i}");
            (await browser.Page.TextContentAsync("#signin-error")).Should().Be("Tên đăng nhập hoặc mật khẩu không đúng");
        }

        await browser.SignInAsync("khoa", "sai-mat-khau-4");
        (await browser.Page.TextContentAsync("#signin-error")).Should().StartWith("Tài khoản tạm khóa do nhập sai nhiều lần");
        await browser.SignInAsync("khoa", web.TemporaryPasswords["khoa"]);
        browser.Path.Should().Be("/account/signin");
        (await browser.Page.TextContentAsync("#signin-error")).Should().StartWith("Tài khoản tạm khóa");
    }

    [BrowserFact]
    public async Task Navigation_shows_only_the_modules_the_user_may_use()
    {
        await using (var clerk = await Browser.OpenAsync(web.Address))
        {
            await clerk.SignInAsync("vana", WebServerFixture.Password);
            var links = await clerk.Page.Locator("#main-nav a").AllTextContentsAsync();
            links.Should().Equal("Trang mẫu");
        }

        await using var admin = await Browser.OpenAsync(web.Address);
        await admin.SignInAsync("admin", WebServerFixture.Password);
        var all = await admin.Page.Locator("#main-nav a").AllTextContentsAsync();
        all.Should().Equal("Trang mẫu", "Trang hạn chế", "Người dùng", "Vai trò", "Tổ chức đảng", "Mô-đun", "Liên kết nút", "Nhật ký kiểm toán");
        await admin.ClickAndWaitForNextPageAsync("#main-nav a[href='/fixtures/pages']");
        (await admin.Page.TextContentAsync("#fixture-index")).Should().Be("Trang mẫu");
    }

    [BrowserFact]
    public async Task User_of_chi_bo_A_cannot_open_the_page_of_chi_bo_B_by_direct_url()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.SignInAsync("vana", WebServerFixture.Password);
        var own = await browser.Page.GotoAsync("/fixtures/pages/org/CBA");
        own!.Status.Should().Be((int)HttpStatusCode.OK);
        (await browser.Page.TextContentAsync("#fixture-page")).Should().Be("Trang của Chi bộ A");

        var other = await browser.Page.GotoAsync("/fixtures/pages/org/CBB");
        other!.Status.Should().Be((int)HttpStatusCode.Forbidden);
        (await browser.Page.TextContentAsync("h1")).Should().Be("Không có quyền truy cập");
        (await browser.Page.ContentAsync()).Should().NotContain("Trang của Chi bộ B");

        var admin = await browser.Page.GotoAsync("/admin/organisations/CBB");
        admin!.Status.Should().Be((int)HttpStatusCode.Forbidden);
        (await browser.Page.TextContentAsync("#forbidden h1")).Should().Be("Không có quyền truy cập");
    }

    [BrowserFact]
    public async Task Sign_out_returns_to_sign_in_and_pages_need_signing_in_again()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.SignInAsync("vana", WebServerFixture.Password);
        await browser.Page.ClickAsync("#user-menu");
        await browser.ClickAndWaitForNextPageAsync("#sign-out");
        await browser.Page.WaitForURLAsync("**/account/signin?signedOut=1");
        (await browser.Page.TextContentAsync("#signed-out")).Should().Be("Bạn đã đăng xuất.");
        await browser.Page.GotoAsync("/fixtures/pages");
        browser.Path.Should().Be("/account/signin");
        new Uri(browser.Page.Url).Query.Should().Be("?ReturnUrl=%2Ffixtures%2Fpages");
    }

    [BrowserFact]
    public async Task After_signing_in_the_visitor_returns_to_the_page_asked_for()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.Page.GotoAsync("/fixtures/pages/org/CBA");
        browser.Path.Should().Be("/account/signin");
        await browser.Page.FillAsync("#userName", "vana");
        await browser.Page.FillAsync("#password", WebServerFixture.Password);
        await browser.ClickAndWaitForNextPageAsync("#sign-in");
        await browser.Page.WaitForURLAsync("**/fixtures/pages/org/CBA");
        (await browser.Page.TextContentAsync("#fixture-page")).Should().Be("Trang của Chi bộ A");
    }

    [BrowserFact]
    public async Task Page_fits_a_phone_screen_without_sideways_scrolling()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.Page.SetViewportSizeAsync(375, 740);
        await browser.SignInAsync("admin", WebServerFixture.Password);
        await browser.Page.GotoAsync("/admin/users");
        var overflow = await browser.Page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        overflow.Should().BeLessThanOrEqualTo(0);
        (await browser.Page.Locator("#users").IsVisibleAsync()).Should().BeTrue();
    }

    [BrowserFact]
    public async Task Pages_break_no_rule_of_the_content_security_policy()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        var messages = new List<string>();
        browser.Page.Console += (_, message) => messages.Add(message.Text);
        await browser.SignInAsync("admin", WebServerFixture.Password);
        foreach (var path in new[] { "/", "/admin/users/vana", "/admin/roles/clerk", "/admin/organisations", "/admin/audit", "/account/2fa", "/fixtures/pages" })
        {
            (await browser.Page.GotoAsync(path))!.Status.Should().Be(200, path);
        }

        (await browser.Page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('header.top')).display"))
            .Should().Be("flex", "the stylesheet is served and applied");
        messages.Should().NotContain(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }

    [BrowserFact]
    public async Task Printing_leaves_out_navigation_and_forms()
    {
        await using var browser = await Browser.OpenAsync(web.Address);
        await browser.SignInAsync("admin", WebServerFixture.Password);
        await browser.Page.GotoAsync("/admin/users");
        await browser.Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        (await browser.Page.Locator("header.top").IsVisibleAsync()).Should().BeFalse();
        (await browser.Page.Locator("#create-user").IsVisibleAsync()).Should().BeFalse();
        (await browser.Page.Locator("#users").IsVisibleAsync()).Should().BeTrue();
    }
}

/// <summary>The first-run page in a browser, on an installation without accounts.</summary>
public sealed class FirstRunBrowserTests
{
    [BrowserFact]
    public async Task First_run_in_the_browser_creates_the_administrator_who_is_then_signed_in()
    {
        await using var installation = new TestInstallation();
        await using var server = LocalServer.Start(installation);
        await server.WaitUntilReadyAsync();
        await using var browser = await Browser.OpenAsync(server.Address);
        await browser.Page.GotoAsync("/");
        browser.Path.Should().Be("/setup");
        await browser.Page.FillAsync("#userName", "quantri");
        await browser.Page.FillAsync("#displayName", "Quản Trị Hệ Thống");
        await browser.Page.FillAsync("#password", "Khoi-tao-2026");
        await browser.Page.FillAsync("#confirm", "Khoi-tao-2026");
        await browser.ClickAndWaitForNextPageAsync("#create-admin");
        await browser.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        (await browser.Page.TextContentAsync("#welcome")).Should().Be("Xin chào, Quản Trị Hệ Thống");
        (await browser.Page.GotoAsync("/setup"))!.Status.Should().Be(404);
    }
}
