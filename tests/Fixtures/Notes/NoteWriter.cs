using DangVu.Fixtures.Contracts.V1;

namespace DangVu.Fixtures.Notes;

internal static class NoteWriter
{
    /// <summary>Saves a note and publishes <see cref="NoteCreated"/> in the same transaction.</summary>
    public static async Task<Note> CreateAsync(NotesDbContext db, string title, CancellationToken cancellationToken, Guid orgUnitId = default)
    {
        var note = new Note { Id = Guid.CreateVersion7(), Title = title, OwnerOrgUnitId = orgUnitId };
        db.Notes.Add(note);
        db.Publish(new NoteCreated { NoteId = note.Id.ToString(), Title = title });
        await db.SaveChangesAsync(cancellationToken);
        return note;
    }
}
