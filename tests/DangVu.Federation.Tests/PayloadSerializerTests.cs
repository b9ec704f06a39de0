using System.Buffers;
using System.Text;
using DangVu.Core.Federation;
using DangVu.Core.Tests.Support;

namespace DangVu.Federation.Tests;

/// <summary>The payload a record travels as: its mapped properties by name in ordinal order, Vietnamese unescaped; a summary only the named fields and the common columns.</summary>
public sealed class PayloadSerializerTests
{
    [Fact]
    public async Task A_record_travels_as_its_mapped_properties_in_ordinal_order_and_a_summary_as_the_named_fields_and_the_common_columns()
    {
        await using var storage = new TestStorage("sqlite");
        storage.AddModule<LedgerDbContext>(storage.ModuleId("ledger"));
        await storage.StartAsync();
        using var scope = storage.Scope<LedgerDbContext>(out var db);
        var type = db.Model.FindEntityType(typeof(LedgerEntry))!;
        var entry = new LedgerEntry
        {
            Id = Guid.Parse("01a23315-f716-7076-87f2-e30d49dd57bd"), Title = "Đảng phí \"quý\" 4", Amount = 120000, OwnerOrgUnitId = Guid.Empty,
            OriginNode = "node-cb1", Version = 3, CreatedAt = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc), UpdatedAt = new DateTime(2026, 12, 1, 9, 30, 0, DateTimeKind.Utc),
        };
        var buffer = new ArrayBufferWriter<byte>();

        PayloadSerializer.For(type, null).Write(entry, buffer);
        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(
            "{\"Amount\":120000,\"Classification\":0,\"CreatedAt\":\"2026-12-01T08:00:00Z\",\"Id\":\"01a23315-f716-7076-87f2-e30d49dd57bd\",\"OriginNode\":\"node-cb1\","
            + "\"OwnerOrgUnitId\":\"00000000-0000-0000-0000-000000000000\",\"Title\":\"Đảng phí \\\"quý\\\" 4\",\"UpdatedAt\":\"2026-12-01T09:30:00Z\",\"Version\":3}");

        PayloadSerializer.For(type, new HashSet<string> { "Amount" }).Write(entry, buffer);
        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().NotContain("Title").And.StartWith("""{"Amount":120000,"Classification":0,""");
    }
}
