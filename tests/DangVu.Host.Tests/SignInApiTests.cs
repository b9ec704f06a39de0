using System.Net;
using System.Net.Http.Json;

namespace DangVu.Host.Tests;

/// <summary>The token and password-change API: refusals with the reason, and one rate limit shared with the web form.</summary>
public sealed class SignInApiTests
{
    [Fact]
    public async Task The_token_endpoint_refuses_missing_fields_wrong_passwords_and_a_first_password()
    {
        await using var installation = new TestInstallation();
        var (committee, server) = await Committee.ServeAsync(installation);
        await using var _ = server;

        var missing = await server.Http.PostAsJsonAsync("/auth/token", new { userName = "lan.tt" });
        var wrong = await server.Http.PostAsJsonAsync("/auth/token", new { userName = "lan.tt", password = "sai-mat-khau-1" });
        var first = await server.Http.PostAsJsonAsync("/auth/token", new { userName = "lan.tt", password = committee.TemporaryPasswords["lan.tt"] });
        var weak = await server.Http.PostAsJsonAsync("/auth/password",
            new { userName = "lan.tt", password = committee.TemporaryPasswords["lan.tt"], newPassword = "ngan" });

        missing.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("Tên đăng nhập hoặc mật khẩu không đúng");
        first.StatusCode.Should().Be(HttpStatusCode.Forbidden, "the first password must be replaced before any token is issued");
        weak.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await weak.Content.ReadAsStringAsync()).Should().Contain("ít nhất 10 ký tự");
    }

    [Fact]
    public async Task An_invalid_bearer_token_on_a_web_request_is_answered_401()
    {
        await using var installation = new TestInstallation();
        await using var server = installation.Cli.Serve();
        await server.WaitUntilReadyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Authorization = new("Bearer", "gia.mao");

        var response = await server.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("hãy đăng nhập lại");
    }

    [Fact]
    public async Task Token_attempts_count_against_the_sign_in_limit_per_address()
    {
        await using var installation = new TestInstallation();
        await using var server = installation.Cli.Serve(new Dictionary<string, string> { ["DANGVU__SignIn__AttemptsPerMinute"] = "3" });
        await server.WaitUntilReadyAsync();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await server.Http.PostAsJsonAsync("/auth/token", new { userName = "khong.co", password = "sai-mat-khau-1" })).StatusCode);
        }

        statuses.Should().Equal(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
    }
}
