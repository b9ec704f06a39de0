using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>
/// The statistics of a subtree read one covering index instead of every member row (a tenth of the
/// bytes): the organisation and status first, as in the index it replaces (lists by chi bộ and
/// status still seek on it), then every column the statistics group by.
/// </summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261201200000_StatisticsIndex")]
internal sealed class StatisticsIndex : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_members_OwnerOrgUnitId_Status", schema: Schema, table: MembersTables.Members);
        migrationBuilder.CreateIndex(
            name: MembersDbContext.StatisticsIndex,
            schema: Schema,
            table: MembersTables.Members,
            columns: [.. MembersDbContext.StatisticsColumns]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: MembersDbContext.StatisticsIndex, schema: Schema, table: MembersTables.Members);
        migrationBuilder.CreateIndex(
            name: "IX_members_OwnerOrgUnitId_Status",
            schema: Schema,
            table: MembersTables.Members,
            columns: ["OwnerOrgUnitId", "Status"]);
    }
}
