using DangVu.Core.Identity;
using System.Net;

namespace DangVu.Web.Tests;

/// <summary>Sign-in, forced password change, session invalidation, two-step sign-in, language, administration forms.</summary>
[Collection(WebCollection.Name)]
public sealed class AccountTests(WebServerFixture web)
{
    [Fact]
    public async Task Wrong_password_shows_the_Vietnamese_error_and_sets_no_cookie()
    {
        using var session = web.NewSession();
        var page = await session.SubmitAsync("/account/signin", "signin",
            new Dictionary<string, string> { ["userName"] = "vanb", ["password"] = "sai-mat-khau-1" });
        page.Status.Should().Be(HttpStatusCode.OK);
        page.Text("#signin-error").Should().Be("Tên đăng nhập hoặc mật khẩu không đúng");
        (await session.GetAsync("/")).StatusCode.Should().Be(HttpStatusCode.Found);
    }

    [Fact]
    public async Task First_sign_in_forces_a_password_change_before_any_other_page()
    {
        using var session = web.NewSession();
        await session.SignInAsync("moi", web.TemporaryPasswords["moi"], "/account/password");
        var home = await session.PageAsync("/fixtures/pages");
        home.Status.Should().Be(HttpStatusCode.Found);
        home.Location.Should().Be("/account/password");
        var form = await session.PageAsync("/account/password");
        form.Text("#must-change").Should().Contain("đổi mật khẩu tạm");

        var weak = await session.SubmitAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["current"] = web.TemporaryPasswords["moi"], ["new"] = "ngan1", ["confirm"] = "ngan1",
        });
        weak.Status.Should().Be(HttpStatusCode.OK);
        weak.Text("#new-error").Should().Be("Mật khẩu cần ít nhất 10 ký tự");

        var wrong = await session.SubmitAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["current"] = "khong-dung-123", ["new"] = "Doi-mat-khau-2026", ["confirm"] = "Doi-mat-khau-2026",
        });
        wrong.Text("#current-error").Should().Be("Mật khẩu hiện tại không đúng");

        var changed = await session.SubmitAsync("/account/password", "password", new Dictionary<string, string>
        {
            ["current"] = web.TemporaryPasswords["moi"], ["new"] = "Doi-mat-khau-2026", ["confirm"] = "Doi-mat-khau-2026",
        });
        changed.Status.Should().Be(HttpStatusCode.Found);
        changed.Location.Should().Be("/");
        (await session.PageAsync("/fixtures/pages")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Password_reset_ends_the_existing_session()
    {
        using var session = await web.SignedInAsync("phien");
        (await session.PageAsync("/")).Status.Should().Be(HttpStatusCode.OK);
        await web.RunAsync("users", "reset-password", "phien");
        var after = await session.PageAsync("/");
        after.Status.Should().Be(HttpStatusCode.Found);
        after.Location.Should().StartWith("/account/signin");
    }

    [Fact]
    public async Task Disabling_an_account_in_the_web_ends_its_session()
    {
        using var victim = await web.SignedInAsync("hai");
        using var admin = await web.SignedInAsync("admin");
        var page = await admin.SubmitAsync("/admin/users/hai", "user", new Dictionary<string, string> { ["act"] = "disable" });
        page.Status.Should().Be(HttpStatusCode.OK, page.Html);
        page.Text("#user-state").Should().Be("Vô hiệu hóa");
        (await victim.PageAsync("/")).Status.Should().Be(HttpStatusCode.Found);

        var again = web.NewSession();
        var refused = await again.SubmitAsync("/account/signin", "signin",
            new Dictionary<string, string> { ["userName"] = "hai", ["password"] = WebServerFixture.Password });
        refused.Text("#signin-error").Should().Contain("vô hiệu hóa");
        await admin.SubmitAsync("/admin/users/hai", "user", new Dictionary<string, string> { ["act"] = "enable" });
        await again.SignInAsync("hai", WebServerFixture.Password);
    }

    [Fact]
    public async Task Two_step_sign_in_is_set_up_with_a_QR_code_and_then_asks_for_the_code()
    {
        using var session = await web.SignedInAsync("hailop");
        var begun = await session.SubmitAsync("/account/2fa", "begin", new Dictionary<string, string>());
        begun.Status.Should().Be(HttpStatusCode.OK);
        begun.Document.QuerySelector("#totp-qr")!.GetAttribute("src").Should().StartWith("data:image/png;base64,");
        var secret = begun.Text("#totp-secret")!;

        var wrong = await session.SubmitAsync("/account/2fa", "confirm", new Dictionary<string, string> { ["code"] = "000000" == Totp.Code(secret, DateTimeOffset.UtcNow) ? "111111" : "000000" });
        wrong.Text("#code-error").Should().Be("Mã xác thực không đúng; hãy thử mã mới");

        var confirmed = await session.SubmitAsync("/account/2fa", "confirm", new Dictionary<string, string> { ["code"] = Totp.Code(secret, DateTimeOffset.UtcNow) });
        confirmed.Text("#totp-enabled").Should().Contain("đang bật");
        (await session.PageAsync("/")).Status.Should().Be(HttpStatusCode.OK, "the page that changed the stamp renewed its own cookie");

        using var next = web.NewSession();
        var step = await next.SubmitAsync("/account/signin", "signin",
            new Dictionary<string, string> { ["userName"] = "hailop", ["password"] = WebServerFixture.Password });
        step.Status.Should().Be(HttpStatusCode.OK);
        step.Text("#signin-error").Should().Be("Nhập mã 6 số từ ứng dụng xác thực");
        var pending = step.Document.QuerySelector("input[name=pending]")!.GetAttribute("value")!;
        var token = step.Document.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var response = await new HttpClient(new HttpClientHandler { CookieContainer = next.Cookies, AllowAutoRedirect = false }) { BaseAddress = web.Address }
            .PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin", ["__RequestVerificationToken"] = token, ["userName"] = "hailop", ["pending"] = pending,
                ["returnUrl"] = "/", ["code"] = Totp.Code(secret, DateTimeOffset.UtcNow),
            }));
        response.StatusCode.Should().Be(HttpStatusCode.Found, await response.Content.ReadAsStringAsync());
        (await next.PageAsync("/")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task English_is_switchable_and_Vietnamese_is_the_default()
    {
        using var session = web.NewSession();
        var vi = await session.PageAsync("/account/signin");
        vi.Document.DocumentElement.GetAttribute("lang").Should().Be("vi");
        vi.Text("h1").Should().Be("Đăng nhập");
        using var switched = await session.GetAsync("/lang/en?returnUrl=%2Faccount%2Fsignin");
        switched.StatusCode.Should().Be(HttpStatusCode.Found);
        switched.Headers.Location!.OriginalString.Should().Be("/account/signin");
        var en = await session.PageAsync("/account/signin");
        en.Document.DocumentElement.GetAttribute("lang").Should().Be("en");
        en.Text("h1").Should().Be("Sign in");
    }

    [Fact]
    public async Task Creating_a_user_shows_errors_next_to_the_field_and_then_a_temporary_password()
    {
        using var admin = await web.SignedInAsync("admin");
        var invalid = await admin.SubmitAsync("/admin/users", "create", new Dictionary<string, string> { ["userName"] = "x", ["displayName"] = "" });
        invalid.Status.Should().Be(HttpStatusCode.OK);
        invalid.Text("#userName-error").Should().StartWith("Tên đăng nhập gồm 3–64 chữ cái");

        var taken = await admin.SubmitAsync("/admin/users", "create", new Dictionary<string, string> { ["userName"] = "vana", ["displayName"] = "Trùng Tên" });
        taken.Text("#userName-error").Should().Be("Tên đăng nhập 'vana' đã có");

        var noName = await admin.SubmitAsync("/admin/users", "create", new Dictionary<string, string> { ["userName"] = "nguoimoi", ["displayName"] = " " });
        noName.Text("#displayName-error").Should().Be("Cần nhập họ tên");

        var created = await admin.SubmitAsync("/admin/users", "create", new Dictionary<string, string> { ["userName"] = "nguoimoi", ["displayName"] = "Người Mới" });
        created.Text("#user-created").Should().Contain("nguoimoi");
        var password = created.Text("#temporary-password")!;
        using var session = web.NewSession();
        await session.SignInAsync("nguoimoi", password, "/account/password");
    }

    [Fact]
    public async Task Administrator_grants_and_revokes_a_role_per_organisation()
    {
        using var admin = await web.SignedInAsync("admin");
        var granted = await admin.SubmitAsync("/admin/users/trinh", "user", new Dictionary<string, string>
        {
            ["act"] = "grant", ["role"] = "secretary", ["org"] = "CBB",
        });
        granted.Text("#user-notice").Should().Be("Đã phân vai trò.");
        using (var trinh = await web.SignedInAsync("trinh"))
        {
            (await trinh.PageAsync("/fixtures/pages/org/CBB")).Status.Should().Be(HttpStatusCode.OK);
            (await trinh.PageAsync("/fixtures/pages/restricted")).Status.Should().Be(HttpStatusCode.OK);
        }

        var grantId = granted.Document.QuerySelectorAll("#grants tr")
            .Single(r => r.TextContent.Contains("CBB")).QuerySelector("button[name=act]")!.GetAttribute("value")!;
        var revoked = await admin.SubmitAsync("/admin/users/trinh", "user", new Dictionary<string, string> { ["act"] = grantId });
        revoked.Text("#user-notice").Should().Be("Đã thu hồi vai trò.");
        using var after = await web.SignedInAsync("trinh");
        (await after.PageAsync("/fixtures/pages/org/CBB")).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Role_permissions_are_editable_and_take_effect()
    {
        using var admin = await web.SignedInAsync("admin");
        var role = await admin.PageAsync("/admin/roles/member");
        role.Document.QuerySelector("input[value='pages.read']")!.HasAttribute("checked").Should().BeFalse();
        var saved = await admin.SubmitAsync("/admin/roles/member", "role", new Dictionary<string, string> { ["perm"] = "pages.read" });
        saved.Text("#role-saved").Should().NotBeNull();
        saved.Document.QuerySelector("input[value='pages.read']")!.HasAttribute("checked").Should().BeTrue();
        var cleared = await admin.SubmitAsync("/admin/roles/member", "role", new Dictionary<string, string>());
        cleared.Document.QuerySelector("input[value='pages.read']")!.HasAttribute("checked").Should().BeFalse();
    }

    [Fact]
    public async Task Audit_log_lists_failed_sign_ins_filtered_by_user_and_operation()
    {
        using (var session = web.NewSession())
        {
            await session.SubmitAsync("/account/signin", "signin", new Dictionary<string, string> { ["userName"] = "vanb", ["password"] = "sai-lan-nua-9" });
        }

        using var admin = await web.SignedInAsync("admin");
        var page = await admin.PageAsync("/admin/audit?user=vanb&op=sign-in.failed&module=core");
        page.Status.Should().Be(HttpStatusCode.OK);
        var operations = page.Document.QuerySelectorAll("#audit tbody td.op").Select(td => td.TextContent).ToList();
        operations.Should().NotBeEmpty().And.OnlyContain(op => op == "sign-in.failed");

        var badDate = await admin.PageAsync("/admin/audit?from=31-31-2026");
        badDate.Text("#from-error").Should().Be("Ngày không hợp lệ (dd/MM/yyyy)");
        var future = await admin.PageAsync($"/admin/audit?from={DateTime.Today.AddDays(1):yyyy-MM-dd}");
        future.Document.QuerySelectorAll("#audit tbody tr").Should().BeEmpty();
    }

    [Fact]
    public async Task Modules_page_shows_each_module_with_its_state()
    {
        using var admin = await web.SignedInAsync("admin");
        var page = await admin.PageAsync("/admin/modules");
        page.Document.QuerySelector("tr[data-module=pages]")!.TextContent.Should().Contain("Đang chạy");
    }

    [Fact]
    public async Task Organisation_switcher_lists_only_the_users_own_organisations()
    {
        using var session = await web.SignedInAsync("hai");
        var page = await session.PageAsync("/");
        page.Document.QuerySelectorAll("#org-select option").Select(o => o.GetAttribute("value")).Should().Equal("CBA", "CBB");
        var switched = await session.SubmitAsync("/", null, new Dictionary<string, string> { ["org"] = "CBB", ["returnUrl"] = "/" }, action: "/account/organisation");
        switched.Status.Should().Be(HttpStatusCode.Found);
        (await session.PageAsync("/")).Html.Should().Contain("Đang làm việc cho: <strong>Chi bộ B</strong>");
        await session.SubmitAsync("/", null, new Dictionary<string, string> { ["org"] = "T01", ["returnUrl"] = "/" }, action: "/account/organisation");
        (await session.PageAsync("/")).Html.Should().Contain("<strong>Chi bộ B</strong>", "an organisation the user holds no role in is not taken");
    }
}
