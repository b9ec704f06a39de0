namespace DangVu.Fixtures.Inbox;

/// <summary>A note the inbox heard about; local to this module, so not replicated.</summary>
public sealed class ReceivedNote
{
    public long Id { get; set; }

    public Guid EventId { get; set; }

    public string NoteId { get; set; } = "";

    public string Title { get; set; } = "";
}
