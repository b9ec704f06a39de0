using DangVu.Core.Abstractions.Events;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Core.Events;

/// <summary>One handler of one module for one event type (the protobuf full name).</summary>
internal sealed record EventSubscription(
    string ModuleId,
    string EventType,
    string Handler,
    Func<IServiceProvider, ByteString, IntegrationEventContext, CancellationToken, Task> Invoke)
{
    public static EventSubscription For<TEvent, THandler>(string moduleId)
        where TEvent : IMessage<TEvent>, new()
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        var parser = new MessageParser<TEvent>(() => new TEvent());
        return new EventSubscription(
            moduleId,
            new TEvent().Descriptor.FullName,
            $"{moduleId}:{typeof(THandler).FullName}",
            (services, payload, context, cancellationToken) =>
                services.GetRequiredService<THandler>().HandleAsync(parser.ParseFrom(payload), context, cancellationToken));
    }
}
