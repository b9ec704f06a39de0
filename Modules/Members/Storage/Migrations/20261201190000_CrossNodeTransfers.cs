using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>Transfers between nodes: organisation codes on letters, the member's transfer address, handover records.</summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261201190000_CrossNodeTransfers")]
internal sealed class CrossNodeTransfers : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "TransferToOrgCode", schema: Schema, table: MembersTables.Members, maxLength: 64, nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "FromOrgCode", schema: Schema, table: MembersTables.Transfers, maxLength: 64, nullable: false, defaultValue: "");
        migrationBuilder.AddColumn<string>(name: "ToOrgCode", schema: Schema, table: MembersTables.Transfers, maxLength: 64, nullable: false, defaultValue: "");

        migrationBuilder.CreateTable(
            name: MembersTables.Handovers,
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                OwnerOrgUnitId = table.Column<Guid>(nullable: false),
                OriginNode = table.Column<string>(maxLength: 64, nullable: false),
                Version = table.Column<long>(nullable: false),
                Classification = table.Column<int>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
                LetterId = table.Column<Guid>(nullable: false),
                MemberId = table.Column<Guid>(nullable: false),
                FromNode = table.Column<string>(maxLength: 64, nullable: false),
                ToNode = table.Column<string>(maxLength: 64, nullable: false),
                FromOrgCode = table.Column<string>(maxLength: 64, nullable: false),
                ToOrgCode = table.Column<string>(maxLength: 64, nullable: false),
                ReceivedOn = table.Column<DateOnly>(nullable: false),
                ReceivedLate = table.Column<bool>(nullable: false),
                MemberVersion = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_handovers", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_member_handovers_LetterId", schema: Schema, table: MembersTables.Handovers, column: "LetterId", unique: true);
        migrationBuilder.CreateIndex(name: "IX_member_handovers_MemberId", schema: Schema, table: MembersTables.Handovers, column: "MemberId");
    }
}
