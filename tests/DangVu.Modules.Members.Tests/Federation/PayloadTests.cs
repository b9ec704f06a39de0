using System.Buffers;
using System.Text.Json;
using DangVu.Core.Federation;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Federation;

/// <summary>
/// The payload a member file travels as: every mapped field, in ordinal order, each written exactly as the JSON
/// serializer writes its value (texts, numbers, flags, ids, dates, enums, and the empty fields as null), so that
/// the receiving node reads back the same file; a summary flow carries only its fields and the common columns.
/// </summary>
public sealed class PayloadTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task A_member_file_travels_as_each_field_written_as_the_serializer_writes_it_and_reads_back_the_same()
    {
        await using var host = await MembersHost.StartAsync("sqlite");
        var registered = await host.RegisterOfficialAsync("Phạm Thị Lưu", TestOrganisation.CellA, new DateOnly(2011, 4, 9), Gender.Female, card: "01234567");
        var (member, type) = await host.Db(async db =>
        {
            var m = await db.Members.SingleAsync(m => m.Id == registered.Id);
            (m.FileNumber, m.OtherNames, m.Phone, m.LeftOn, m.LeaveReason, m.PreviousStatus) = ("HS-0042", "Lưu \"Út\" <b>&", "0912 345 678", new DateOnly(2026, 10, 1), LeaveReason.Expelled, MemberStatus.Official);
            m.Status = MemberStatus.Left;
            m.TemporaryOrgUnitId = TestOrganisation.CellB;
            await db.SaveChangesAsync();
            return (await db.Members.AsNoTracking().SingleAsync(x => x.Id == m.Id), db.Model.FindEntityType(typeof(Member))!);
        });
        member.ImportedBy.Should().BeNull("an empty field is part of the test");
        var buffer = new ArrayBufferWriter<byte>();

        PayloadSerializer.For(type, null).Write(member, buffer);

        using var payload = JsonDocument.Parse(buffer.WrittenMemory);
        var fields = payload.RootElement.EnumerateObject().ToList();
        fields.Select(f => f.Name).Should().Equal(type.GetProperties().Where(p => p.PropertyInfo is not null).Select(p => p.Name).Order(StringComparer.Ordinal));
        foreach (var field in fields)
        {
            var property = typeof(Member).GetProperty(field.Name)!;
            field.Value.GetRawText().Should().Be(JsonSerializer.Serialize(property.GetValue(member), property.PropertyType, Relaxed), field.Name);
        }

        JsonSerializer.Deserialize<Member>(buffer.WrittenSpan).Should().BeEquivalentTo(member);

        PayloadSerializer.For(type, new HashSet<string> { nameof(Member.FullName) }).Write(member, buffer);
        using var summary = JsonDocument.Parse(buffer.WrittenMemory);
        summary.RootElement.EnumerateObject().Select(f => f.Name).Should().Equal(
            "Classification", "CreatedAt", "FullName", "Id", "OriginNode", "OwnerOrgUnitId", "UpdatedAt", "Version");
        summary.RootElement.GetProperty("FullName").GetString().Should().Be("Phạm Thị Lưu");
    }
}
