using System.Collections.Concurrent;
using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Rpc.Tests.Proto;
using Google.Protobuf;

namespace DangVu.Rpc.Tests;

/// <summary>What the test handlers observed, for the tests to check.</summary>
public sealed class EchoProbe
{
    public ConcurrentQueue<string> Events { get; } = new();

    public TaskCompletionSource Cancelled { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentDictionary<string, int> Attempts { get; } = new();

    public void Reset()
    {
        Cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal sealed class EchoService(EchoProbe probe)
{
    public async Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        await DelayAsync(request, context);
        Fail(request);
        context.ResponseCompression = request.CompressResponse ? "gzip" : null;
        return Reply(request, context, 0);
    }

    public Task<EchoReply> Mutate(EchoRequest request, ServerCallContext context) => Unary(request, context);

    public async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        await EchoMetadataAsync(context);
        context.ResponseCompression = request.CompressResponse ? "gzip" : null;

        // "unavailable:…" fails before the first message, every other failure after the last.
        var failFirst = request.FailWith.StartsWith("unavailable:", StringComparison.Ordinal);
        if (failFirst)
        {
            Fail(request);
        }

        for (var i = 0; i < request.Count; i++)
        {
            if (i == 1)
            {
                await DelayAsync(request, context);
            }

            await responses.WriteAsync(Reply(request, context, i), context.CancellationToken);
        }

        if (!failFirst)
        {
            Fail(request);
        }
    }

    public async Task<EchoReply> ClientStream(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        var total = 0;
        try
        {
            await foreach (var request in requests.ReadAllAsync(context.CancellationToken))
            {
                texts.Add(request.Text);
                total += request.Payload.Length;
                Fail(request);
                probe.Started.TrySetResult();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away while the handler waited for its next message.
            probe.Cancelled.TrySetResult();
            throw;
        }

        return new EchoReply { Text = string.Join(",", texts), Index = total, Caller = context.User.Identity?.Name ?? "" };
    }

    public async Task Bidi(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        var i = 0;
        while (await requests.MoveNext(context.CancellationToken))
        {
            await DelayAsync(requests.Current, context);
            Fail(requests.Current);
            await responses.WriteAsync(Reply(requests.Current, context, i++), context.CancellationToken);
        }
    }

    private EchoReply Reply(EchoRequest request, ServerCallContext context, int index) => new()
    {
        Text = request.Text,
        Payload = request.ResponseSize > 0 ? ByteString.CopyFrom(new byte[request.ResponseSize]) : request.Payload,
        Index = index,
        Caller = context.User.Identity?.Name ?? "",
        RequestCompressed = context.LastRequestCompressed,
    };

    private async Task DelayAsync(EchoRequest request, ServerCallContext context)
    {
        if (request.DelayMs <= 0)
        {
            return;
        }

        probe.Started.TrySetResult();
        try
        {
            await Task.Delay(request.DelayMs, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Events.Enqueue("cancelled " + request.Text);
            probe.Cancelled.TrySetResult();
            throw;
        }
    }

    private void Fail(EchoRequest request)
    {
        switch (request.FailWith)
        {
            case "":
                return;
            case "notfound":
                throw new NotFoundException("Không tìm thấy đảng viên", "member not found");
            case "invalid":
                throw new InvalidArgumentException("name", "Tên không hợp lệ", "invalid name");
            case "rule":
                throw new RuleViolationException("r1", "Vi phạm quy tắc", "rule violated");
            case "denied":
                throw new PermissionDeniedException("Không có quyền", "permission denied");
            case "conflict":
                throw new ConcurrencyConflictException("Xung đột dữ liệu", "concurrency conflict");
            case "rpc":
                throw new RpcException(new Status(StatusCode.OutOfRange, "Ngoài phạm vi (out of range) ☺"), new Metadata().Add("x-detail-bin", [1, 2, 3]));
            case "boom":
                throw new InvalidOperationException("secret connection string=xyz");
            default:
                if (request.FailWith.StartsWith("unavailable:", StringComparison.Ordinal)
                    || request.FailWith.StartsWith("unavailable-late:", StringComparison.Ordinal))
                {
                    // "unavailable[-late]:<key>:<n>" fails the first n attempts of key.
                    var parts = request.FailWith.Split(':');
                    var attempt = probe.Attempts.AddOrUpdate(parts[1], 1, (_, n) => n + 1);
                    if (attempt <= int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture))
                    {
                        throw new RpcException(StatusCode.Unavailable, "tạm thời không phục vụ (try again)");
                    }
                }

                return;
        }
    }

    private static async Task EchoMetadataAsync(ServerCallContext context)
    {
        var echo = context.RequestHeaders.Get("x-echo");
        if (echo is not null)
        {
            await context.WriteResponseHeadersAsync(new Metadata { echo });
        }

        var bin = context.RequestHeaders.Get("x-echo-bin");
        if (bin is not null)
        {
            context.ResponseTrailers.Add(bin);
        }
    }
}
