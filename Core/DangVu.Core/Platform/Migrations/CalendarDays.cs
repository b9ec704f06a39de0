using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Platform.Migrations;

/// <summary>The working calendar: weekdays off and weekend days worked, by date.</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261201190000_CalendarDays")]
internal sealed class CalendarDays : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "calendar_days",
            schema: Schema,
            columns: table => new
            {
                Date = table.Column<DateOnly>(nullable: false),
                Kind = table.Column<int>(nullable: false),
                Name = table.Column<string>(maxLength: 128, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_calendar_days", x => x.Date));
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropTable(name: "calendar_days", schema: Schema);
}
