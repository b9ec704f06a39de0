using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Core.Federation.Storage.Migrations;

/// <summary>The organisation a replica is addressed to beyond its owner's subtree (transfer letters, handovers).</summary>
[DbContext(typeof(FederationDbContext))]
[Migration("20261201190000_ReplicaAddress")]
internal sealed class ReplicaAddress : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.AddColumn<string>(
            name: "AddressOrgCode",
            schema: Schema,
            table: "fed_replicas",
            maxLength: 64,
            nullable: false,
            defaultValue: "");
}
