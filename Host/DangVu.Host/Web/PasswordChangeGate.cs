using Microsoft.AspNetCore.Http;

namespace DangVu.Host.Web;

/// <summary>A person whose password must be changed (first sign-in, after a reset) sees only the change-password page.</summary>
internal sealed class PasswordChangeGate(RequestDelegate next)
{
    private static readonly string[] Allowed = ["/account/password", "/account/signout", "/lang/", "/css/", "/favicon"];

    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true
            && context.User.FindFirst(SessionCookie.MustChangePasswordClaim)?.Value == "1"
            && !Allowed.Any(p => context.Request.Path.StartsWithSegments(p.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.Redirect("/account/password");
            return Task.CompletedTask;
        }

        return next(context);
    }
}
