using DangVu.Core.Abstractions.Modules;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Fixtures.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DangVu.Fixtures.Notes;

/// <summary>
/// A fixture module that stores notes (replicated records) and publishes <see cref="NoteCreated"/>.
/// Setting <c>Modules:notes:FailRegistration</c> makes it throw while registering, for the loader tests.
/// </summary>
public sealed class NotesModule : IModule
{
    public void ConfigureServices(IModuleBuilder module)
    {
        if (module.Configuration["FailRegistration"] == "true")
        {
            throw new InvalidOperationException("cấu hình kiểm thử yêu cầu lỗi (the test configuration asks for a failure)");
        }

        module.AddStorage<NotesDbContext>()
            .AddPermissions(
                new PermissionDefinition(NotesGrpcService.Read, "Xem ghi chú", "Read notes"),
                new PermissionDefinition(NotesGrpcService.Write, "Viết ghi chú", "Write notes"));
        module.Services.AddHostedService<CrashAfterCommit>();
    }

    public void MapEndpoints(IModuleEndpoints endpoints)
    {
        var routes = endpoints.Routes;
        routes.MapPost("/fixtures/notes", async (NoteInput input, NotesDbContext db, CancellationToken cancellationToken) =>
        {
            var note = await NoteWriter.CreateAsync(db, input.Title, cancellationToken);
            return Results.Ok(new { note.Id, note.Version });
        });
        routes.MapPut("/fixtures/notes/{id:guid}", async (Guid id, NoteUpdate input, NotesDbContext db, CancellationToken cancellationToken) =>
        {
            var note = await db.Notes.SingleAsync(n => n.Id == id, cancellationToken);
            db.Entry(note).Property(n => n.Version).OriginalValue = input.Version;
            note.Title = input.Title;
            await db.SaveChangesAsync(cancellationToken);
            return Results.Ok(new { note.Id, note.Version });
        });
        routes.MapGet("/fixtures/notes/greeting", () => Greeting.Greeting.Text);
        routes.MapGrpcService<NotesGrpcService>(NotesReflection.Descriptor.Services[0]);
    }

    private sealed record NoteInput(string Title);

    private sealed record NoteUpdate(string Title, long Version);
}
