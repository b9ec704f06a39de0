using DangVu.Core.Identity;
using Microsoft.AspNetCore.Http;

namespace DangVu.Core.Hosting;

/// <summary><c>POST /auth/token</c>: a bearer token for RPC and API callers, for a user name, password and (if set up) TOTP code.</summary>
internal static class TokenEndpoint
{
    public const string Path = "/auth/token";

    public static async Task<IResult> HandleAsync(TokenRequest request, HttpContext http, UserService users, TokenService tokens, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password))
        {
            return Results.BadRequest(new { message = "Cần tên đăng nhập và mật khẩu (user name and password are required)" });
        }

        var result = await users.SignInAsync(request.UserName, request.Password, request.Totp, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (!result.Succeeded)
        {
            return Results.Json(new { message = $"{result.MessageVi} ({result.MessageEn})", status = result.Status.ToString() }, statusCode: StatusCodes.Status401Unauthorized);
        }

        if (result.User!.MustChangePassword)
        {
            return Results.Json(new { message = "Hãy đổi mật khẩu lần đầu trên trang web trước (change the first password on the web first)", status = "MustChangePassword" },
                statusCode: StatusCodes.Status403Forbidden);
        }

        var (token, expires) = tokens.Issue(result.User);
        return Results.Ok(new { token, expiresAt = expires });
    }

    public const string PasswordPath = "/auth/password";

    /// <summary>
    /// <c>POST /auth/password</c>: changes a password with the current one (and TOTP code), for
    /// accounts that use only RPC and must replace their first password.
    /// </summary>
    public static async Task<IResult> ChangePasswordAsync(PasswordRequest request, HttpContext http, UserService users, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrEmpty(request.Password) || string.IsNullOrEmpty(request.NewPassword))
        {
            return Results.BadRequest(new { message = "Cần tên đăng nhập, mật khẩu hiện tại và mật khẩu mới (user name, current and new password are required)" });
        }

        var result = await users.SignInAsync(request.UserName, request.Password, request.Totp, http.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        if (!result.Succeeded)
        {
            return Results.Json(new { message = $"{result.MessageVi} ({result.MessageEn})", status = result.Status.ToString() }, statusCode: StatusCodes.Status401Unauthorized);
        }

        await users.ChangePasswordAsync(result.User!.Id, request.Password, request.NewPassword, cancellationToken);
        return Results.NoContent();
    }

    internal sealed record TokenRequest(string? UserName, string? Password, string? Totp);

    internal sealed record PasswordRequest(string? UserName, string? Password, string? NewPassword, string? Totp);
}
