using DangVu.Core.Abstractions.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Hosting;

/// <summary>
/// Turns the errors a person can act on into HTTP answers, in one place for every web endpoint:
/// the status that fits, and the message in Vietnamese and English. Anything else is a 500
/// without internals, logged with a correlation id.
/// </summary>
internal sealed class ErrorResponses(RequestDelegate next, ILogger<ErrorResponses> logger)
{
    public static int StatusOf(DangVuException exception) => exception switch
    {
        NotFoundException => StatusCodes.Status404NotFound,
        InvalidArgumentException => StatusCodes.Status400BadRequest,
        RuleViolationException => StatusCodes.Status422UnprocessableEntity,
        PermissionDeniedException => StatusCodes.Status403Forbidden,
        ConcurrencyConflictException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (DangVuException ex) when (!context.Response.HasStarted)
        {
            await WriteAsync(context, StatusOf(ex), ex.MessageVi, ex.MessageEn, ex switch
            {
                InvalidArgumentException invalid => invalid.Field,
                RuleViolationException rule => rule.Rule,
                _ => null,
            });
        }
        catch (Exception ex) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var correlation = context.TraceIdentifier;
            logger.LogError(ex, "Unhandled error on {Method} {Path}, correlation id {Correlation}", context.Request.Method, context.Request.Path, correlation);
            await WriteAsync(context, StatusCodes.Status500InternalServerError,
                $"Lỗi hệ thống; hãy báo quản trị viên mã {correlation}",
                $"Internal error; give the administrator the code {correlation}", null);
        }
    }

    private static Task WriteAsync(HttpContext context, int status, string messageVi, string messageEn, string? subject)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { status, message = $"{messageVi} ({messageEn})", messageVi, messageEn, subject });
    }
}
