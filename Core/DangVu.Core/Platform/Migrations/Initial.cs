using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Platform.Migrations;

[DbContext(typeof(CoreDbContext))]
[Migration("20261123000000_Initial")]
internal sealed class Initial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);

        migrationBuilder.CreateTable(
            name: "org_units",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                Code = table.Column<string>(maxLength: 64, nullable: false),
                NameVi = table.Column<string>(maxLength: 256, nullable: false),
                Kind = table.Column<int>(nullable: false),
                ParentId = table.Column<Guid>(nullable: true),
                ValidFrom = table.Column<DateOnly>(nullable: false),
                ValidTo = table.Column<DateOnly>(nullable: true),
                OwnerOrgUnitId = table.Column<Guid>(nullable: false),
                OriginNode = table.Column<string>(maxLength: 64, nullable: false),
                Version = table.Column<long>(nullable: false),
                Classification = table.Column<int>(nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_org_units", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_org_units_Code", schema: Schema, table: "org_units", column: "Code", unique: true);
        migrationBuilder.CreateIndex(name: "IX_org_units_ParentId", schema: Schema, table: "org_units", column: "ParentId");

        migrationBuilder.CreateTable(
            name: "users",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserName = table.Column<string>(maxLength: 64, nullable: false),
                DisplayName = table.Column<string>(maxLength: 128, nullable: false),
                PasswordHash = table.Column<string>(maxLength: 256, nullable: false),
                MustChangePassword = table.Column<bool>(nullable: false),
                FailedSignIns = table.Column<int>(nullable: false),
                LockedUntil = table.Column<DateTime>(nullable: true),
                TotpSecret = table.Column<string>(maxLength: 64, nullable: true),
                TotpEnabled = table.Column<bool>(nullable: false),
                Disabled = table.Column<bool>(nullable: false),
                SecurityStamp = table.Column<string>(maxLength: 64, nullable: false),
                CreatedAt = table.Column<DateTime>(nullable: false),
                Version = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_users", x => x.Id));
        migrationBuilder.CreateIndex(name: "IX_users_UserName", schema: Schema, table: "users", column: "UserName", unique: true);

        migrationBuilder.CreateTable(
            name: "roles",
            schema: Schema,
            columns: table => new
            {
                Code = table.Column<string>(maxLength: 64, nullable: false),
                NameVi = table.Column<string>(maxLength: 128, nullable: false),
                NameEn = table.Column<string>(maxLength: 128, nullable: false),
                BuiltIn = table.Column<bool>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_roles", x => x.Code));

        migrationBuilder.CreateTable(
            name: "role_permissions",
            schema: Schema,
            columns: table => new
            {
                RoleCode = table.Column<string>(maxLength: 64, nullable: false),
                Permission = table.Column<string>(maxLength: 128, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_role_permissions", x => new { x.RoleCode, x.Permission }));

        migrationBuilder.CreateTable(
            name: "role_grants",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<Guid>(nullable: false),
                UserId = table.Column<Guid>(nullable: false),
                RoleCode = table.Column<string>(maxLength: 64, nullable: false),
                OrgUnitId = table.Column<Guid>(nullable: true),
                IncludeDescendants = table.Column<bool>(nullable: false),
                GrantedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_role_grants", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_role_grants_UserId_RoleCode_OrgUnitId", schema: Schema, table: "role_grants",
            columns: ["UserId", "RoleCode", "OrgUnitId"], unique: true);

        migrationBuilder.CreateTable(
            name: "known_permissions",
            schema: Schema,
            columns: table => new
            {
                Name = table.Column<string>(maxLength: 128, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_known_permissions", x => x.Name));
    }
}
