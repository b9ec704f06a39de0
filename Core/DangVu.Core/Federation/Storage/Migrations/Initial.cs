using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Federation.Storage.Migrations;

[DbContext(typeof(FederationDbContext))]
[Migration("20261123160000_FederationInitial")]
internal sealed class Initial : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateModuleInfrastructure(Schema);

        migrationBuilder.CreateTable(
            name: "fed_links",
            schema: Schema,
            columns: table => new
            {
                NodeId = table.Column<string>(maxLength: 64, nullable: false),
                Role = table.Column<int>(nullable: false),
                State = table.Column<int>(nullable: false),
                Url = table.Column<string>(maxLength: 256, nullable: true),
                Subtree = table.Column<string>(maxLength: 64, nullable: false),
                Network = table.Column<int>(nullable: false),
                CertificateThumbprint = table.Column<string>(maxLength: 64, nullable: true),
                RequestId = table.Column<string>(maxLength: 32, nullable: true),
                CreatedAt = table.Column<DateTime>(nullable: false),
                LastSuccessAt = table.Column<DateTime>(nullable: true),
                LastError = table.Column<string>(nullable: true),
                LastErrorAt = table.Column<DateTime>(nullable: true),
                Changes = table.Column<long>(nullable: false),
                HeldBack = table.Column<long>(nullable: false),
                Pending = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_fed_links", x => x.NodeId));

        migrationBuilder.CreateTable(
            name: "fed_enrolments",
            schema: Schema,
            columns: table => new
            {
                Id = table.Column<string>(maxLength: 32, nullable: false),
                NodeId = table.Column<string>(maxLength: 64, nullable: false),
                Csr = table.Column<byte[]>(nullable: false),
                Owns = table.Column<string>(maxLength: 512, nullable: false),
                Address = table.Column<string>(maxLength: 64, nullable: true),
                State = table.Column<int>(nullable: false),
                RequestedAt = table.Column<DateTime>(nullable: false),
                Subtree = table.Column<string>(maxLength: 64, nullable: true),
                Network = table.Column<int>(nullable: true),
                CodeHash = table.Column<string>(maxLength: 64, nullable: true),
                Certificate = table.Column<byte[]>(nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_fed_enrolments", x => x.Id));

        migrationBuilder.CreateTable(
            name: "fed_replicas",
            schema: Schema,
            columns: table => new
            {
                OriginNode = table.Column<string>(maxLength: 64, nullable: false),
                RecordId = table.Column<Guid>(nullable: false),
                Module = table.Column<string>(maxLength: 64, nullable: false),
                RecordType = table.Column<string>(maxLength: 128, nullable: false),
                Version = table.Column<long>(nullable: false),
                Deleted = table.Column<bool>(nullable: false),
                OwnerOrgCode = table.Column<string>(maxLength: 64, nullable: false),
                Classification = table.Column<int>(nullable: false),
                Payload = table.Column<string>(nullable: false),
                ReceivedFrom = table.Column<string>(maxLength: 64, nullable: false),
                ReceivedAt = table.Column<DateTime>(nullable: false),
                RelaySequence = table.Column<long>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_fed_replicas", x => new { x.OriginNode, x.RecordId }));
        migrationBuilder.CreateIndex(
            name: "IX_fed_replicas_Module_RecordType", schema: Schema, table: "fed_replicas", columns: ["Module", "RecordType"]);
        migrationBuilder.CreateIndex(
            name: "IX_fed_replicas_RelaySequence", schema: Schema, table: "fed_replicas", column: "RelaySequence");

        migrationBuilder.CreateTable(
            name: "fed_checkpoints",
            schema: Schema,
            columns: table => new
            {
                FromNode = table.Column<string>(maxLength: 64, nullable: false),
                Module = table.Column<string>(maxLength: 64, nullable: false),
                Sequence = table.Column<long>(nullable: false),
                UpdatedAt = table.Column<DateTime>(nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_fed_checkpoints", x => new { x.FromNode, x.Module }));

        // The relay feed's counter, incremented atomically by each applied batch.
        var sqlite = migrationBuilder.ActiveProvider?.Contains("Sqlite", StringComparison.Ordinal) == true;
        var table = Schema is null ? "fed_checkpoints" : $"\"{Schema}\".fed_checkpoints";
        migrationBuilder.Sql(
            $"INSERT INTO {table} (\"FromNode\", \"Module\", \"Sequence\", \"UpdatedAt\") " +
            $"VALUES ('{SyncCheckpoint.RelayCounterNode}', '{SyncCheckpoint.RelayModule}', 0, '{(sqlite ? "2026-11-23 00:00:00" : "2026-11-23 00:00:00+00")}')");
    }
}
