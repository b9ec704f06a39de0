using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>
/// Name search by any part of the folded name through an index instead of a scan: on PostgreSQL a
/// GIN trigram index (pg_trgm) on <c>SearchName</c> that <c>LIKE '%…%'</c> uses; on SQLite an FTS5
/// trigram table over the same column, kept in step by triggers in the writing transaction
/// (<see cref="MembersSearchIndex"/>). The plain B-tree on <c>SearchName</c> goes: no search used it.
/// </summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261123180000_NameSearchIndex")]
internal sealed class NameSearchIndex : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropIndex(name: "IX_members_SearchName", schema: Schema, table: MembersTables.Members);
        if (Schema is not null)
        {
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS pg_trgm;");
            migrationBuilder.CreateIndex(
                    name: "IX_members_SearchName",
                    schema: Schema,
                    table: MembersTables.Members,
                    column: "SearchName")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
            return;
        }

        foreach (var statement in MembersSearchIndex.SqliteCreate("full"))
        {
            migrationBuilder.Sql(statement);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (Schema is not null)
        {
            migrationBuilder.DropIndex(name: "IX_members_SearchName", schema: Schema, table: MembersTables.Members);
        }
        else
        {
            foreach (var statement in MembersSearchIndex.SqliteDrop)
            {
                migrationBuilder.Sql(statement);
            }
        }

        migrationBuilder.CreateIndex(name: "IX_members_SearchName", schema: Schema, table: MembersTables.Members, column: "SearchName");
    }
}
