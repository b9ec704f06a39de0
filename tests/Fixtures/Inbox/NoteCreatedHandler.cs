using DangVu.Core.Abstractions.Events;
using DangVu.Fixtures.Contracts.V1;

namespace DangVu.Fixtures.Inbox;

internal sealed class NoteCreatedHandler(InboxDbContext db) : IIntegrationEventHandler<NoteCreated>
{
    public async Task HandleAsync(NoteCreated message, IntegrationEventContext context, CancellationToken cancellationToken)
    {
        db.Received.Add(new ReceivedNote { EventId = context.EventId, NoteId = message.NoteId, Title = message.Title });
        await db.SaveChangesAsync(cancellationToken);
    }
}
