using DangVu.Core.Abstractions.Events;
using DangVu.Core.Abstractions.Storage;
using DangVu.Core.Storage;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DangVu.Core.Events;

/// <summary>
/// Delivers integration events from every module's outbox to the subscribing modules, after
/// commit and at least once: woken by each committing save, and sweeping periodically for what
/// a crash or a failed handler left behind. A subscriber's inbox entry is written in the
/// handler's transaction, so redelivery never runs a handler twice.
/// </summary>
internal sealed class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IEnumerable<ModuleStorage> storages,
    IEnumerable<EventSubscription> subscriptions,
    OutboxSignal signal,
    IHostApplicationLifetime lifetime,
    IConfiguration configuration,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, ModuleStorage> _storages = storages.ToDictionary(s => s.ModuleId);
    private readonly ILookup<string, EventSubscription> _subscriptions = subscriptions.ToLookup(s => s.EventType);
    private readonly Dictionary<Guid, DateTime> _retryAt = [];
    private readonly TimeSpan _sweep = configuration.GetValue("Events:SweepInterval", TimeSpan.FromSeconds(2));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing is delivered before the host has fully started: modules' start-up work runs first.
        await WaitForStartAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DispatchPendingAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Event dispatch sweep failed; retrying at the next sweep");
            }

            await signal.WaitAsync(_sweep, stoppingToken);
        }
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        await started.Task;
    }

    /// <summary>Delivers every undelivered message once; returns how many were fully delivered.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var storage in _storages.Values)
        {
            await using var scope = scopes.CreateAsyncScope();
            var publisher = storage.Resolve(scope.ServiceProvider);
            var pending = await publisher.Outbox
                .Where(m => m.DispatchedAt == null)
                .OrderBy(m => m.Sequence)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            foreach (var message in pending)
            {
                if (_retryAt.TryGetValue(message.EventId, out var retryAt) && retryAt > DateTime.UtcNow)
                {
                    continue;
                }

                if (await DeliverAsync(storage.ModuleId, message, cancellationToken))
                {
                    message.DispatchedAt = DateTime.UtcNow;
                    message.LastError = null;
                    _retryAt.Remove(message.EventId);
                    delivered++;
                }
                else
                {
                    message.Attempts++;
                    var delay = TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(message.Attempts, 16))));
                    _retryAt[message.EventId] = DateTime.UtcNow + delay;
                }

                await publisher.SaveChangesAsync(cancellationToken);
            }
        }

        return delivered;
    }

    private async Task<bool> DeliverAsync(string sourceModule, OutboxMessage message, CancellationToken cancellationToken)
    {
        var context = new IntegrationEventContext(message.EventId, message.EventType, sourceModule, DateTime.SpecifyKind(message.CreatedAt, DateTimeKind.Utc));
        var payload = ByteString.CopyFrom(message.Payload);
        var ok = true;
        foreach (var subscription in _subscriptions[message.EventType])
        {
            try
            {
                await DeliverToAsync(subscription, payload, context, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ok = false;
                message.LastError = $"{subscription.Handler}: {ex.GetBaseException().Message}";
                logger.LogWarning(ex, "Handler {Handler} failed on event {EventType} {EventId}; it will be retried",
                    subscription.Handler, message.EventType, message.EventId);
            }
        }

        return ok;
    }

    private async Task DeliverToAsync(EventSubscription subscription, ByteString payload, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var subscriber = _storages[subscription.ModuleId].Resolve(scope.ServiceProvider);
        await using var transaction = await subscriber.Database.BeginTransactionAsync(cancellationToken);
        var seen = await subscriber.Inbox.AnyAsync(e => e.EventId == context.EventId && e.Handler == subscription.Handler, cancellationToken);
        if (seen)
        {
            return;
        }

        await subscription.Invoke(scope.ServiceProvider, payload, context, cancellationToken);
        subscriber.Inbox.Add(new InboxEntry { EventId = context.EventId, Handler = subscription.Handler, ProcessedAt = DateTime.UtcNow });
        await subscriber.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
