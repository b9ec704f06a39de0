using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>Links of sign-in accounts to member files (sổ tay đảng viên); node-local, not replicated.</summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261123181000_AccountLinks")]
internal sealed class AccountLinks : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: MembersTables.AccountLinks,
            schema: Schema,
            columns: table => new
            {
                MemberId = table.Column<Guid>(nullable: false),
                UserName = table.Column<string>(maxLength: 100, nullable: false),
                LinkedAt = table.Column<DateTime>(nullable: false),
                LinkedBy = table.Column<string>(maxLength: 200, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_account_links", x => x.MemberId));
        migrationBuilder.CreateIndex(
            name: "IX_member_account_links_UserName",
            schema: Schema,
            table: MembersTables.AccountLinks,
            column: "UserName",
            unique: true);
    }
}
