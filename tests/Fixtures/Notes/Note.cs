using DangVu.Core.Abstractions.Storage;

namespace DangVu.Fixtures.Notes;

[RecordType("notes.note")]
public sealed class Note : ReplicatedRecord
{
    public string Title { get; set; } = "";
}
