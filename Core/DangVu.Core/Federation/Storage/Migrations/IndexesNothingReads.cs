using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Federation.Storage.Migrations;

/// <summary>
/// Two indexes nothing reads go: the change feed's by record (<see cref="ModuleMigrationBuilderExtensions.DropChangeFeedRecordIndex"/>)
/// and the replicas' by module and record type, which every replica a parent applies paid an entry in.
/// </summary>
[DbContext(typeof(FederationDbContext))]
[Migration("20261202160000_IndexesNothingReads")]
internal sealed class IndexesNothingReads : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropChangeFeedRecordIndex(Schema);
        migrationBuilder.DropIndex(name: "IX_fed_replicas_Module_RecordType", schema: Schema, table: "fed_replicas");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateChangeFeedRecordIndex(Schema);
        migrationBuilder.CreateIndex(name: "IX_fed_replicas_Module_RecordType", schema: Schema, table: "fed_replicas", columns: ["Module", "RecordType"]);
    }
}
