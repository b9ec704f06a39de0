using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Fixtures.Inbox.Migrations;

[DbContext(typeof(InboxDbContext))]
[Migration("20261123000000_Initial")]
public sealed class Initial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);
        migrationBuilder.CreateTable(
            name: "received_notes",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<long>(nullable: false).AutoIncrement(),
                EventId = table.Column<Guid>(nullable: false),
                NoteId = table.Column<string>(maxLength: 64, nullable: false),
                Title = table.Column<string>(maxLength: 200, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_received_notes", x => x.Id));
    }
}
