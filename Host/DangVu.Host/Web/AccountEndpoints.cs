using DangVu.Core.Platform;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DangVu.Host.Web;

/// <summary>Small endpoints behind the layout's forms and links: sign out, language, organisation switcher.</summary>
internal static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/account/signout", async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return BadForm();
            }

            await SessionCookie.SignOutAsync(http);
            return Results.Redirect(WebShell.SignInPath + "?signedOut=1");
        }).DisableAntiforgery();

        app.MapGet("/lang/{code}", (HttpContext http, string code, string? returnUrl) =>
        {
            http.Response.Cookies.Append(WebContext.LanguageCookie, code == "en" ? "en" : "vi", new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                MaxAge = TimeSpan.FromDays(365),
                IsEssential = true,
            });
            return Results.Redirect(WebContext.LocalUrl(returnUrl));
        });

        app.MapPost("/account/organisation", async (HttpContext http, IAntiforgery antiforgery, WebContext web, OrganisationDirectory directory) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return BadForm();
            }

            if (!web.SignedIn)
            {
                return Results.Redirect(WebShell.SignInPath);
            }

            var form = await http.Request.ReadFormAsync();
            var code = form["org"].ToString();
            if ((await web.MyOrganisationsAsync()).Any(o => o.Code == code))
            {
                http.Response.Cookies.Append(WebContext.OrganisationCookie, code, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    MaxAge = TimeSpan.FromDays(365),
                    IsEssential = true,
                });
            }

            return Results.Redirect(WebContext.LocalUrl(form["returnUrl"]));
        }).DisableAntiforgery();
    }

    private static IResult BadForm() => Results.Text(
        "Biểu mẫu đã hết hạn hoặc không hợp lệ; hãy tải lại trang và thử lại (the form expired or is invalid; reload the page and try again)",
        "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
}
