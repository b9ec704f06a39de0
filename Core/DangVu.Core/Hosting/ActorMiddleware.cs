using System.Security.Claims;
using DangVu.Core.Abstractions.Security;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Identity;
using DangVu.Core.Rpc;
using Microsoft.AspNetCore.Http;

namespace DangVu.Core.Hosting;

/// <summary>
/// Establishes who is acting for the rest of the request: a bearer token (RPC and API callers)
/// or the signed-in web user; otherwise an anonymous user who is allowed nothing.
/// </summary>
internal sealed class ActorMiddleware(RequestDelegate next, TokenService tokens)
{
    public const string Anonymous = "anonymous";

    public async Task InvokeAsync(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress?.ToString();
        Actor actor;
        if (context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var validated = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), address, context.RequestAborted);
            if (validated is null)
            {
                await RefuseAsync(context);
                return;
            }

            actor = validated;
        }
        else if (context.User.Identity?.IsAuthenticated == true
                 && Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            actor = new Actor(ActorKind.User, context.User.Identity.Name ?? userId.ToString(), userId, address);
        }
        else
        {
            actor = new Actor(ActorKind.User, Anonymous, null, address);
        }

        using var _ = Actor.Use(actor);
        await next(context);
    }

    private static Task RefuseAsync(HttpContext context)
    {
        const string message = "Phiên đăng nhập hết hạn hoặc không hợp lệ; hãy đăng nhập lại (the token is expired or invalid; sign in again)";
        if (GrpcProtocol.IsGrpcContentType(context.Request.ContentType))
        {
            // A trailers-only gRPC response: gRPC clients read the status, not the HTTP code.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = GrpcProtocol.ContentType;
            context.Response.Headers[GrpcProtocol.StatusHeader] = ((int)StatusCode.Unauthenticated).ToString(System.Globalization.CultureInfo.InvariantCulture);
            context.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.EncodeMessage(message);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return context.Response.WriteAsJsonAsync(new { message });
    }
}
