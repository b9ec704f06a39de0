using DangVu.Core.Abstractions.Errors;
using DangVu.Core.Abstractions.Rpc;
using DangVu.Core.Abstractions.Security;
using DangVu.Fixtures.Contracts.V1;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Fixtures.Notes;

/// <summary><c>dangvu.fixtures.v1.NotesService</c>: a module RPC service guarded by org-scoped permissions.</summary>
public sealed class NotesGrpcService(NotesDbContext db, IAuthorizer authorizer)
{
    public const string Read = "notes.read";
    public const string Write = "notes.write";

    public async Task<NoteReply> CreateNote(CreateNoteRequest request, ServerCallContext context)
    {
        var org = OrgUnit(request.OrgUnitId);
        await authorizer.EnsureAllowedAsync(Write, org, context.CancellationToken);
        if (string.IsNullOrWhiteSpace(request.Title))
        {
            throw new InvalidArgumentException("title", "Cần nhập tiêu đề", "The title is required");
        }

        var note = await NoteWriter.CreateAsync(db, request.Title.Trim(), context.CancellationToken, org);
        return Reply(note);
    }

    public async Task<ListNotesReply> ListNotes(ListNotesRequest request, ServerCallContext context)
    {
        var org = OrgUnit(request.OrgUnitId);
        await authorizer.EnsureAllowedAsync(Read, org, context.CancellationToken);
        var reply = new ListNotesReply();
        reply.Notes.AddRange((await db.Notes.Where(n => n.OwnerOrgUnitId == org).OrderBy(n => n.CreatedAt).ToListAsync(context.CancellationToken)).Select(Reply));
        return reply;
    }

    private static Guid OrgUnit(string text) =>
        Guid.TryParse(text, out var id) ? id : throw new InvalidArgumentException("org_unit_id", "Mã tổ chức không hợp lệ", "org_unit_id is not a valid id");

    private static NoteReply Reply(Note note) =>
        new() { Id = note.Id.ToString(), OrgUnitId = note.OwnerOrgUnitId.ToString(), Title = note.Title, Version = note.Version };
}
