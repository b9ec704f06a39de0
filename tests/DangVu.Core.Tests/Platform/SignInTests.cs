using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Identity;
using DangVu.Core.Platform;
using DangVu.Core.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Tests.Platform;

public sealed class SignInTests
{
    [Fact]
    public async Task The_right_password_signs_in_and_is_audited()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.UserAsync("lan.tt");

        var result = await SignInAsync(platform, "Lan.TT", "MatKhau-2026");

        result.Status.Should().Be(SignInStatus.Succeeded);
        result.User!.MustChangePassword.Should().BeTrue("an account starts with a password to replace");
        await platform.AsAsync(null, async sp =>
            (await sp.GetRequiredService<CoreDbContext>().AuditTrail.Where(a => a.Operation == "sign-in").SingleAsync()).ActorName.Should().Be("lan.tt"));
    }

    [Fact]
    public async Task A_wrong_password_fails_with_the_same_message_as_an_unknown_user()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.UserAsync("lan.tt");

        var wrong = await SignInAsync(platform, "lan.tt", "sai-mat-khau-1");
        var unknown = await SignInAsync(platform, "khong.co", "sai-mat-khau-1");

        wrong.Status.Should().Be(SignInStatus.Failed);
        wrong.MessageVi.Should().Be("Tên đăng nhập hoặc mật khẩu không đúng").And.Be(unknown.MessageVi);
        await platform.AsAsync(null, async sp =>
            (await sp.GetRequiredService<CoreDbContext>().AuditTrail.CountAsync(a => a.Operation == "sign-in.failed")).Should().Be(2));
    }

    [Fact]
    public async Task Five_failures_lock_the_account_for_fifteen_minutes_even_with_the_right_password()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.UserAsync("lan.tt");
        for (var i = 0; i < UserService.MaxFailedSignIns; i++)
        {
            await SignInAsync(platform, "lan.tt", "sai-mat-khau-1");
        }

        var locked = await SignInAsync(platform, "lan.tt", "MatKhau-2026");
        platform.Clock.Advance(UserService.LockoutDuration + TimeSpan.FromSeconds(1));
        var later = await SignInAsync(platform, "lan.tt", "MatKhau-2026");

        locked.Status.Should().Be(SignInStatus.LockedOut);
        locked.MessageVi.Should().Contain("tạm khóa");
        later.Status.Should().Be(SignInStatus.Succeeded);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        await platform.UserAsync("lan.tt");
        await platform.AsAsync(null, sp => sp.GetRequiredService<UserService>().SetDisabledAsync("lan.tt", true, CancellationToken.None));

        (await SignInAsync(platform, "lan.tt", "MatKhau-2026")).Status.Should().Be(SignInStatus.Disabled);
    }

    [Fact]
    public async Task With_two_factor_on_a_sign_in_needs_the_current_code()
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        var lan = await platform.UserAsync("lan.tt");
        var secret = await platform.AsAsync(lan, sp => sp.GetRequiredService<UserService>().BeginTotpSetupAsync(lan.UserId!.Value, CancellationToken.None));
        var wrongConfirm = async () => await platform.AsAsync(lan, sp => sp.GetRequiredService<UserService>().ConfirmTotpAsync(lan.UserId!.Value, "000000", CancellationToken.None));
        await wrongConfirm.Should().ThrowAsync<InvalidArgumentException>();
        await platform.AsAsync(lan, sp => sp.GetRequiredService<UserService>().ConfirmTotpAsync(lan.UserId!.Value, Totp.Code(secret, platform.Clock.GetUtcNow()), CancellationToken.None));

        var withoutCode = await SignInAsync(platform, "lan.tt", "MatKhau-2026");
        var wrongCode = await SignInAsync(platform, "lan.tt", "MatKhau-2026", "123456" == Totp.Code(secret, platform.Clock.GetUtcNow()) ? "654321" : "123456");
        var rightCode = await SignInAsync(platform, "lan.tt", "MatKhau-2026", Totp.Code(secret, platform.Clock.GetUtcNow()));

        withoutCode.Status.Should().Be(SignInStatus.RequiresTotp);
        wrongCode.Status.Should().Be(SignInStatus.Failed);
        rightCode.Status.Should().Be(SignInStatus.Succeeded);
    }

    [Theory]
    [InlineData("ngan1", "ít nhất 10 ký tự")]
    [InlineData("chicochuthoi", "cả chữ và số")]
    [InlineData("lan.tt-2026-abc", "không được chứa tên đăng nhập")]
    public async Task A_weak_new_password_is_refused_with_the_rule_it_breaks(string password, string expected)
    {
        await using var platform = await PlatformHarness.StartAsync("sqlite");
        var lan = await platform.UserAsync("lan.tt");

        var change = async () => await platform.AsAsync(lan, sp => sp.GetRequiredService<UserService>().ChangePasswordAsync(lan.UserId!.Value, "MatKhau-2026", password, CancellationToken.None));

        (await change.Should().ThrowAsync<InvalidArgumentException>()).Which.MessageVi.Should().Contain(expected);
    }

    [Fact]
    public void Totp_matches_the_rfc_6238_test_vector()
    {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", T = 59 s → 94287082 (last 6 digits: 287082).
        var secret = Totp.ToBase32("12345678901234567890"u8.ToArray());

        Totp.Code(secret, DateTimeOffset.FromUnixTimeSeconds(59)).Should().Be("287082");
        Totp.Code(secret, DateTimeOffset.FromUnixTimeSeconds(1111111109)).Should().Be("081804");
    }

    private static Task<SignInResult> SignInAsync(PlatformHarness platform, string userName, string password, string? totp = null) =>
        platform.AsAsync(null, sp => sp.GetRequiredService<UserService>().SignInAsync(userName, password, totp, "127.0.0.1", CancellationToken.None));
}
