using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Fixtures.Notes.Migrations;

[DbContext(typeof(NotesDbContext))]
[Migration("20261123000000_Initial")]
public sealed class Initial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);
        migrationBuilder.CreateTable(
            name: "notes",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Title = table.Column<string>(maxLength: 200, nullable: false),
                OwnerOrgUnitId = table.Column<Guid>(nullable: false),
                OriginNode = table.Column<string>(maxLength: 64, nullable: false),
                Version = table.Column<long>(nullable: false),
                Classification = table.Column<int>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_notes", x => x.Id));
    }
}
