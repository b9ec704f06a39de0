using System.Security.Claims;
using DangVu.Core.Identity;
using DangVu.Core.Platform;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Host.Web;

/// <summary>
/// The sign-in cookie: who the person is, plus the account's security stamp, so a changed
/// password, second factor or a disabled account ends every session at its next request.
/// </summary>
internal static class SessionCookie
{
    public const string StampClaim = "dv:stamp";
    public const string DisplayNameClaim = "dv:name";
    public const string MustChangePasswordClaim = "dv:must-change";

    public static Task SignInAsync(HttpContext context, UserAccount user)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
                new Claim(ClaimTypes.Name, user.UserName),
                new Claim(DisplayNameClaim, user.DisplayName),
                new Claim(StampClaim, user.SecurityStamp),
                new Claim(MustChangePasswordClaim, user.MustChangePassword ? "1" : "0"),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity),
            new AuthenticationProperties { IsPersistent = false });
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            await RejectAsync(context);
            return;
        }

        var users = context.HttpContext.RequestServices.GetRequiredService<UserService>();
        var user = await users.FindAsync(id, context.HttpContext.RequestAborted);
        if (user is null || user.Disabled || user.SecurityStamp != principal.FindFirstValue(StampClaim))
        {
            await RejectAsync(context);
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
