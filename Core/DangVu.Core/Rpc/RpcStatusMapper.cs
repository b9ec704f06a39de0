using System.Diagnostics;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Rpc;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Rpc;

/// <summary>The one place where an exception from a handler becomes a gRPC status.</summary>
internal static partial class RpcStatusMapper
{
    public static Status ToStatus(Exception exception, ILogger logger, string method)
    {
        switch (exception)
        {
            case RpcException rpc:
                return rpc.Status;
            case NotFoundException e:
                return new Status(StatusCode.NotFound, e.Message);
            case InvalidArgumentException e:
                // The field tells a caller which input to correct.
                return new Status(StatusCode.InvalidArgument, $"{e.Message} — trường (field): {e.Field}");
            case RuleViolationException e:
                // The rule's name tells a caller which regulation refused the operation.
                return new Status(StatusCode.FailedPrecondition, $"{e.Message} — quy tắc (rule): {e.Rule}");
            case PermissionDeniedException e:
                return new Status(StatusCode.PermissionDenied, e.Message);
            case ConcurrencyConflictException e:
                return new Status(StatusCode.Aborted, e.Message);
            default:
                var correlationId = Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
                LogUnhandled(logger, exception, method, correlationId);
                return new Status(StatusCode.Internal,
                    $"Lỗi nội bộ máy chủ, mã tra cứu {correlationId} (internal server error, correlation id {correlationId})");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "gRPC method {Method} failed; correlation id {CorrelationId}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string correlationId);
}
