using Google.Protobuf;

namespace DangVu.Core.Abstractions.Events;

/// <summary>
/// Handles an integration event published by another module. Delivery is at least once; the
/// host records the event id in the subscriber's inbox in the handler's transaction, so a
/// handler runs to completion at most once per event.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IMessage<TEvent>
{
    Task HandleAsync(TEvent message, IntegrationEventContext context, CancellationToken cancellationToken);
}

/// <summary>Where an integration event came from.</summary>
/// <param name="EventId">Unique per publication; the idempotency key.</param>
/// <param name="EventType">The protobuf full name the event is routed by.</param>
/// <param name="SourceModule">The publishing module's id.</param>
/// <param name="OccurredAt">When the publishing transaction saved it (UTC).</param>
public sealed record IntegrationEventContext(Guid EventId, string EventType, string SourceModule, DateTime OccurredAt);
