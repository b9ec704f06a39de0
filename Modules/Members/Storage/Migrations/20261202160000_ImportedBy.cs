using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>
/// Who imported a member's file, on the member (<see cref="Domain.Member.ImportedBy"/>): the timeline's import entry
/// is read from there instead of a history row, its index entries and its change-feed entry per member. Members
/// imported before keep their stored "imported" entries (the column is null for them). The change feed's index by
/// record goes too: nothing reads the feed by record, and each member of an import paid an entry in it
/// (<see cref="ModuleMigrationBuilderExtensions.DropChangeFeedRecordIndex"/>).
/// </summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261202160000_ImportedBy")]
internal sealed class ImportedBy : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "ImportedBy", schema: Schema, table: MembersTables.Members, maxLength: 128, nullable: true);
        migrationBuilder.DropChangeFeedRecordIndex(Schema);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropColumn(name: "ImportedBy", schema: Schema, table: MembersTables.Members);
        migrationBuilder.CreateChangeFeedRecordIndex(Schema);
    }
}
