using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>
/// A list or search of a subtree shows the members owned there or taking part there on a temporary transfer;
/// without an index on the temporary organisation that "or" read every member. A partial index: only the
/// members on a temporary transfer are in it, so an import writes nothing more.
/// </summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261201220000_TemporaryTransferIndex")]
internal sealed class TemporaryTransferIndex : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(
            name: "IX_members_TemporaryOrgUnitId",
            schema: Schema,
            table: MembersTables.Members,
            column: "TemporaryOrgUnitId",
            filter: MembersDbContext.TemporaryFilter);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropIndex(name: "IX_members_TemporaryOrgUnitId", schema: Schema, table: MembersTables.Members);
}
