using System.Net;

namespace DangVu.Web.Tests;

/// <summary>The first-run page and the sign-in rate limit, each on an installation of its own.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task First_run_page_creates_the_first_administrator_and_then_disappears()
    {
        await using var installation = new TestInstallation();
        await using var server = LocalServer.Start(installation);
        await server.WaitUntilReadyAsync();
        using var session = new WebSession(server.Address);

        using (var signIn = await session.GetAsync("/account/signin"))
        {
            signIn.StatusCode.Should().Be(HttpStatusCode.Found, "with no account, the machine itself is sent to the first-run page");
            signIn.Headers.Location!.OriginalString.Should().EndWith("/setup");
        }

        var mismatch = await session.SubmitAsync("/setup", "setup", new Dictionary<string, string>
        {
            ["userName"] = "quantri", ["displayName"] = "Quản Trị", ["password"] = "Khoi-tao-2026", ["confirm"] = "Khac-2026-abc",
        });
        mismatch.Text("#confirm-error").Should().Be("Hai lần nhập mật khẩu không khớp");

        var weak = await session.SubmitAsync("/setup", "setup", new Dictionary<string, string>
        {
            ["userName"] = "quantri", ["displayName"] = "Quản Trị", ["password"] = "ngan", ["confirm"] = "ngan",
        });
        weak.Text("#password-error").Should().Be("Mật khẩu cần ít nhất 10 ký tự");

        var created = await session.SubmitAsync("/setup", "setup", new Dictionary<string, string>
        {
            ["userName"] = "quantri", ["displayName"] = "Quản Trị", ["password"] = "Khoi-tao-2026", ["confirm"] = "Khoi-tao-2026",
        });
        created.Status.Should().Be(HttpStatusCode.Found, created.Html);
        created.Location.Should().Be("/");
        (await session.PageAsync("/admin/users")).Status.Should().Be(HttpStatusCode.OK, "the first account administers the installation");

        using var stranger = new WebSession(server.Address);
        (await stranger.PageAsync("/setup")).Status.Should().Be(HttpStatusCode.NotFound);
        (await stranger.PageAsync("/account/signin")).Status.Should().Be(HttpStatusCode.OK);
        await stranger.SignInAsync("quantri", "Khoi-tao-2026");
    }

    [Fact]
    public async Task First_run_page_is_not_offered_to_other_machines()
    {
        var outside = LocalServer.OutsideAddress;
        outside.Should().NotBeNull("the test needs a non-loopback address of this machine to call from");
        await using var installation = new TestInstallation();
        await using var server = LocalServer.Start(installation, outside);
        await server.WaitUntilReadyAsync();

        using var remote = new WebSession(new Uri($"http://{outside}:{server.Address.Port}"));
        (await remote.PageAsync("/setup")).Status.Should().Be(HttpStatusCode.NotFound);
        (await remote.PageAsync("/account/signin")).Status.Should().Be(HttpStatusCode.OK, "a remote visitor gets the sign-in page, not the first-run page");

        using var local = new WebSession(server.Address);
        (await local.PageAsync("/setup")).Status.Should().Be(HttpStatusCode.OK);

        using var proxied = new HttpClient { BaseAddress = server.Address };
        proxied.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        using var relayed = await proxied.GetAsync("/setup");
        relayed.StatusCode.Should().Be(HttpStatusCode.NotFound, "a request relayed by a proxy on this machine comes from elsewhere");
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        await using var installation = new TestInstallation();
        (await installation.Cli.RunAsync("users", "add", "thu", "--name", "Thử")).ExitCode.Should().Be(0);
        await using var server = LocalServer.Start(installation);
        await server.WaitUntilReadyAsync();
        using var session = new WebSession(server.Address);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
        {
            var page = await session.SubmitAsync("/account/signin", "signin",
                new Dictionary<string, string> { ["userName"] = $"khong-co-{i}", ["password"] = "sai-mat-khau-1" });
            statuses.Add(page.Status);
        }

        statuses.Take(10).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        statuses[10].Should().Be(HttpStatusCode.TooManyRequests);
        (await session.GetAsync("/account/signin")).StatusCode.Should().Be(HttpStatusCode.OK, "showing the page is not an attempt");
    }
}
