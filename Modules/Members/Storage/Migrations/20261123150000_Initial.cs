using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>The Members module's first schema: members, their timeline, transfers, discipline, badges, dues and rule packs.</summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261123150000_Initial")]
internal sealed class Initial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);

        migrationBuilder.CreateTable(
            name: MembersTables.Members,
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
                FullName = table.Column<string>(maxLength: 100, nullable: false),
                OtherNames = table.Column<string>(maxLength: 200, nullable: false),
                SearchName = table.Column<string>(maxLength: 320, nullable: false),
                SortName = table.Column<string>(maxLength: 220, nullable: false),
                Gender = table.Column<int>(nullable: false),
                DateOfBirth = table.Column<DateOnly>(nullable: false),
                PlaceOfBirth = table.Column<string>(maxLength: 200, nullable: false),
                Hometown = table.Column<string>(maxLength: 200, nullable: false),
                EthnicityCode = table.Column<string>(maxLength: 4, nullable: false),
                ReligionCode = table.Column<string>(maxLength: 4, nullable: false),
                CitizenId = table.Column<string>(maxLength: 12, nullable: false),
                FileNumber = table.Column<string>(maxLength: 20, nullable: true),
                CardNumber = table.Column<string>(maxLength: 20, nullable: true),
                GeneralEducation = table.Column<string>(maxLength: 50, nullable: false),
                ProfessionalQualification = table.Column<string>(maxLength: 200, nullable: false),
                TheoryLevel = table.Column<int>(nullable: false),
                Occupation = table.Column<string>(maxLength: 200, nullable: false),
                JobTitle = table.Column<string>(maxLength: 200, nullable: false),
                Workplace = table.Column<string>(maxLength: 300, nullable: false),
                Phone = table.Column<string>(maxLength: 20, nullable: false),
                Email = table.Column<string>(maxLength: 200, nullable: false),
                Address = table.Column<string>(maxLength: 300, nullable: false),
                Status = table.Column<int>(nullable: false),
                PreviousStatus = table.Column<int?>(nullable: true),
                LeaveReason = table.Column<int?>(nullable: true),
                LeftOn = table.Column<DateOnly?>(nullable: true),
                AdmissionDate = table.Column<DateOnly>(nullable: false),
                AdmissionDecision = table.Column<string>(maxLength: 50, nullable: false),
                AdmissionCeremonyDate = table.Column<DateOnly>(nullable: false),
                OfficialDate = table.Column<DateOnly?>(nullable: true),
                OfficialDecision = table.Column<string>(maxLength: 50, nullable: true),
                Introducers = table.Column<string>(nullable: false),
                TemporaryOrgUnitId = table.Column<Guid?>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_members", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_members_CitizenId",
            schema: Schema,
            table: MembersTables.Members,
            column: "CitizenId",
            unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_members_FileNumber",
            schema: Schema,
            table: MembersTables.Members,
            column: "FileNumber",
            unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_members_CardNumber",
            schema: Schema,
            table: MembersTables.Members,
            column: "CardNumber",
            unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_members_SearchName",
            schema: Schema,
            table: MembersTables.Members,
            column: "SearchName");
        migrationBuilder.CreateIndex(
            name: "IX_members_SortName",
            schema: Schema,
            table: MembersTables.Members,
            column: "SortName");
        migrationBuilder.CreateIndex(
            name: "IX_members_OwnerOrgUnitId_Status",
            schema: Schema,
            table: MembersTables.Members,
            columns: ["OwnerOrgUnitId", "Status"]);

        migrationBuilder.CreateTable(
            name: MembersTables.History,
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
                MemberId = table.Column<Guid>(nullable: false),
                At = table.Column<DateTime>(nullable: false),
                Actor = table.Column<string>(maxLength: 200, nullable: false),
                Action = table.Column<string>(maxLength: 50, nullable: false),
                Summary = table.Column<string>(maxLength: 500, nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: false),
                Details = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_history", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_history_MemberId",
            schema: Schema,
            table: MembersTables.History,
            column: "MemberId");

        migrationBuilder.CreateTable(
            name: MembersTables.Transfers,
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
                MemberId = table.Column<Guid>(nullable: false),
                Kind = table.Column<int>(nullable: false),
                LetterNumber = table.Column<string>(maxLength: 50, nullable: false),
                DecisionDate = table.Column<DateOnly>(nullable: false),
                LetterDate = table.Column<DateOnly>(nullable: false),
                FromOrgUnitId = table.Column<Guid>(nullable: false),
                ToOrgUnitId = table.Column<Guid>(nullable: false),
                StartDeadline = table.Column<DateOnly>(nullable: false),
                PresentDeadline = table.Column<DateOnly>(nullable: false),
                StartedLate = table.Column<bool>(nullable: false),
                State = table.Column<int>(nullable: false),
                ReceivedOn = table.Column<DateOnly?>(nullable: true),
                ReceivedLate = table.Column<bool>(nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_transfers", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_transfers_MemberId",
            schema: Schema,
            table: MembersTables.Transfers,
            column: "MemberId");
        migrationBuilder.CreateIndex(
            name: "IX_member_transfers_State_ToOrgUnitId",
            schema: Schema,
            table: MembersTables.Transfers,
            columns: ["State", "ToOrgUnitId"]);

        migrationBuilder.CreateTable(
            name: MembersTables.Disciplines,
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
                MemberId = table.Column<Guid>(nullable: false),
                Form = table.Column<int>(nullable: false),
                DecisionNumber = table.Column<string>(maxLength: 50, nullable: false),
                DecisionDate = table.Column<DateOnly>(nullable: false),
                IssuedBy = table.Column<string>(maxLength: 200, nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_disciplines", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_disciplines_MemberId",
            schema: Schema,
            table: MembersTables.Disciplines,
            column: "MemberId");

        migrationBuilder.CreateTable(
            name: MembersTables.Badges,
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
                MemberId = table.Column<Guid>(nullable: false),
                Years = table.Column<int>(nullable: false),
                BatchDate = table.Column<DateOnly>(nullable: false),
                DecisionNumber = table.Column<string>(maxLength: 50, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_badges", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_badges_MemberId_Years",
            schema: Schema,
            table: MembersTables.Badges,
            columns: ["MemberId", "Years"],
            unique: true);

        migrationBuilder.CreateTable(
            name: MembersTables.DuesBases,
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
                MemberId = table.Column<Guid>(nullable: false),
                FromPeriod = table.Column<int>(nullable: false),
                Kind = table.Column<int>(nullable: false),
                Amount = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_dues_bases", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_dues_bases_MemberId_FromPeriod",
            schema: Schema,
            table: MembersTables.DuesBases,
            columns: ["MemberId", "FromPeriod"],
            unique: true);

        migrationBuilder.CreateTable(
            name: MembersTables.HardshipReductions,
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
                MemberId = table.Column<Guid>(nullable: false),
                Percent = table.Column<int>(nullable: false),
                FromPeriod = table.Column<int>(nullable: false),
                ToPeriod = table.Column<int>(nullable: false),
                DecisionNumber = table.Column<string>(maxLength: 50, nullable: false),
                Reason = table.Column<string>(maxLength: 1000, nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_dues_reductions", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_dues_reductions_MemberId",
            schema: Schema,
            table: MembersTables.HardshipReductions,
            column: "MemberId");

        migrationBuilder.CreateTable(
            name: MembersTables.DuesPayments,
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
                MemberId = table.Column<Guid>(nullable: false),
                Period = table.Column<int>(nullable: false),
                Due = table.Column<long>(nullable: false),
                Amount = table.Column<long>(nullable: false),
                PaidOn = table.Column<DateOnly>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_dues_payments", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_dues_payments_MemberId_Period",
            schema: Schema,
            table: MembersTables.DuesPayments,
            columns: ["MemberId", "Period"],
            unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_member_dues_payments_Period",
            schema: Schema,
            table: MembersTables.DuesPayments,
            column: "Period");

        migrationBuilder.CreateTable(
            name: MembersTables.RulePacks,
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
                ValidFrom = table.Column<DateOnly>(nullable: false),
                Name = table.Column<string>(maxLength: 200, nullable: false),
                SourceDocument = table.Column<string>(maxLength: 200, nullable: false),
                Rules = table.Column<string>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_member_rule_packs", x => x.Id));
        migrationBuilder.CreateIndex(
            name: "IX_member_rule_packs_ValidFrom",
            schema: Schema,
            table: MembersTables.RulePacks,
            column: "ValidFrom",
            unique: true);
    }
}
