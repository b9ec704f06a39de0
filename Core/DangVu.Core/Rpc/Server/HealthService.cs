using System.Collections.Concurrent;
using System.Threading.Channels;
using DangVu.Core.Abstractions.Rpc;
using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace DangVu.Core.Rpc.Server;

/// <summary>
/// The serving status of each bound service ("" is the whole server). Bound services start
/// SERVING; a service whose module failed after binding it is NOT_SERVING.
/// </summary>
internal sealed class GrpcHealthStatus
{
    private readonly ConcurrentDictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Channel<ServingStatus>, string> _watchers = new();

    public GrpcHealthStatus(GrpcServiceRegistry registry)
    {
        _statuses[""] = ServingStatus.Serving;
        foreach (var service in registry.Services)
        {
            var name = service.Descriptor.FullName;
            Set(name, registry.IsStopped(name) ? ServingStatus.NotServing : ServingStatus.Serving);
        }

        registry.ServiceAdded += service => Set(service.Descriptor.FullName, ServingStatus.Serving);
        registry.ServiceStopped += service => Set(service.Descriptor.FullName, ServingStatus.NotServing);
    }

    public ServingStatus? Get(string service) => _statuses.TryGetValue(service, out var status) ? status : null;

    public IReadOnlyDictionary<string, ServingStatus> All => _statuses;

    public void Set(string service, ServingStatus status)
    {
        _statuses[service] = status;
        foreach (var (channel, watched) in _watchers)
        {
            if (watched == service)
            {
                channel.Writer.TryWrite(status);
            }
        }
    }

    public Channel<ServingStatus> Watch(string service)
    {
        var channel = Channel.CreateBounded<ServingStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers[channel] = service;
        return channel;
    }

    public void Unwatch(Channel<ServingStatus> channel) => _watchers.TryRemove(channel, out _);
}

/// <summary><c>grpc.health.v1.Health</c>.</summary>
internal sealed class HealthService(GrpcHealthStatus health, IHostApplicationLifetime lifetime)
{
    public Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        var status = health.Get(request.Service)
            ?? throw new RpcException(StatusCode.NotFound, $"Không biết dịch vụ '{request.Service}' (unknown service '{request.Service}')");
        return Task.FromResult(new HealthCheckResponse { Status = status });
    }

    public Task<HealthListResponse> List(HealthListRequest request, ServerCallContext context)
    {
        var response = new HealthListResponse();
        foreach (var (name, status) in health.All)
        {
            response.Statuses[name] = new HealthCheckResponse { Status = status };
        }

        return Task.FromResult(response);
    }

    public async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        var channel = health.Watch(request.Service);

        // A watch lasts until the client leaves or the server stops (else it would hold up a graceful shutdown).
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            var last = health.Get(request.Service) ?? ServingStatus.ServiceUnknown;
            await responses.WriteAsync(new HealthCheckResponse { Status = last }, context.CancellationToken).ConfigureAwait(false);
            while (await WaitAsync(channel, ending.Token).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var status))
                {
                    if (status != last)
                    {
                        last = status;
                        await responses.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            health.Unwatch(channel);
        }
    }

    private static async Task<bool> WaitAsync(Channel<ServingStatus> channel, CancellationToken token)
    {
        try
        {
            return await channel.Reader.WaitToReadAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
    }
}
