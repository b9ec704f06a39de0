using DangVu.Core.Abstractions.Modules;
using DangVu.Fixtures.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Fixtures.Inbox;

/// <summary>A fixture module that receives <see cref="NoteCreated"/> from the notes module and keeps what it got.</summary>
public sealed class InboxModule : IModule
{
    public void ConfigureServices(IModuleBuilder module) =>
        module.AddStorage<InboxDbContext>()
            .Subscribe<NoteCreated, NoteCreatedHandler>();

    public void MapEndpoints(IModuleEndpoints endpoints)
    {
        endpoints.Routes.MapGet("/fixtures/inbox", async (InboxDbContext db, CancellationToken cancellationToken) =>
            Results.Ok(await db.Received.OrderBy(r => r.Id).Select(r => new { r.EventId, r.NoteId, r.Title }).ToListAsync(cancellationToken)));
        endpoints.Routes.MapGet("/fixtures/inbox/greeting", () => Greeting.Greeting.Text);
    }
}
