using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Platform.Migrations;

/// <summary>The change feed's index by record goes: nothing reads the feed by record (<see cref="ModuleMigrationBuilderExtensions.DropChangeFeedRecordIndex"/>).</summary>
[DbContext(typeof(CoreDbContext))]
[Migration("20261202160000_ChangeFeedWithoutRecordIndex")]
internal sealed class ChangeFeedWithoutRecordIndex : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.DropChangeFeedRecordIndex(Schema);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.CreateChangeFeedRecordIndex(Schema);
}
