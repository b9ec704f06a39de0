using System.Net;

namespace DangVu.Web.Tests;

/// <summary>Anti-forgery on every form, security headers on every page.</summary>
[Collection(WebCollection.Name)]
public sealed class FormSecurityTests(WebServerFixture web)
{
    [Fact]
    public async Task Sign_in_without_antiforgery_token_is_refused_with_400()
    {
        using var session = web.NewSession();
        var page = await session.SubmitAsync("/account/signin", "signin",
            new Dictionary<string, string> { ["userName"] = "vana", ["password"] = WebServerFixture.Password }, withToken: false);
        page.Status.Should().Be(HttpStatusCode.BadRequest);
        page.Response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).Should().NotContain(c => c.StartsWith("dv_auth=", StringComparison.Ordinal) && !c.StartsWith("dv_auth=;", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/admin/users", "create")]
    [InlineData("/admin/users/moi", "user")]
    [InlineData("/admin/roles/clerk", "role")]
    [InlineData("/account/password", "password")]
    [InlineData("/account/2fa", "begin")]
    public async Task Forms_without_antiforgery_token_are_refused_with_400(string path, string form)
    {
        using var session = await web.SignedInAsync("admin");
        var page = await session.SubmitAsync(path, form, new Dictionary<string, string>(), withToken: false);
        page.Status.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sign_out_without_antiforgery_token_is_refused_with_400_and_keeps_the_session()
    {
        using var session = await web.SignedInAsync("vana");
        var page = await session.SubmitAsync("/", null, new Dictionary<string, string>(), action: "/account/signout", withToken: false);
        page.Status.Should().Be(HttpStatusCode.BadRequest);
        (await session.PageAsync("/")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Pages_carry_the_security_headers()
    {
        using var session = web.NewSession();
        using var response = await session.GetAsync("/account/signin");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var headers = response.Headers;
        headers.GetValues("Content-Security-Policy").Single().Should().Contain("frame-ancestors 'none'").And.Contain("default-src 'self'")
            .And.Contain("script-src 'self'");
        headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
    }

    [Fact]
    public async Task Stylesheet_is_served_to_anyone_and_nothing_outside_its_folder_is()
    {
        using var session = web.NewSession();
        using var css = await session.GetAsync("/css/site.css");
        css.StatusCode.Should().Be(HttpStatusCode.OK);
        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        css.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        using var escape = await session.GetAsync("/css/..%2F..%2Fdangvu.dll");
        escape.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cookies_are_http_only_and_same_site_strict()
    {
        using var session = web.NewSession();
        var page = await session.SubmitAsync("/account/signin", "signin",
            new Dictionary<string, string> { ["userName"] = "vana", ["password"] = WebServerFixture.Password });
        page.Status.Should().Be(HttpStatusCode.Found);
        var auth = page.Response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("dv_auth=", StringComparison.Ordinal));
        auth.Should().Contain("httponly").And.Contain("samesite=strict");
    }

    [Fact]
    public async Task Sign_in_redirects_only_to_local_addresses()
    {
        using var session = web.NewSession();
        var page = await session.SubmitAsync("/account/signin?ReturnUrl=https%3A%2F%2Fevil.example%2F", "signin",
            new Dictionary<string, string> { ["userName"] = "vana", ["password"] = WebServerFixture.Password });
        page.Status.Should().Be(HttpStatusCode.Found);
        page.Location.Should().Be("/");
    }
}
