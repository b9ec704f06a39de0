using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>
/// The name search reads the distinct names (<see cref="MembersSearchIndex.Names"/>) instead of an index of every
/// member's name: SQLite's FTS5 trigram table and PostgreSQL's GIN trigram index go. A part of a name is matched
/// against 8,600 names instead of 500,000 members, and its matches are read in the name order, so a page stops
/// early and a common part ("hung", 20,851 members) is no longer sorted. Both indexes cost an import more than the
/// names do.
/// </summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261202010000_NameList")]
internal sealed class NameList : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        if (Schema is not null)
        {
            migrationBuilder.DropIndex(name: "IX_members_SearchName", schema: Schema, table: MembersTables.Members);
        }

        var statements = Schema is null
            ? MembersSearchIndex.SqliteDrop.Concat(MembersSearchIndex.SqliteCreateNames)
            : MembersSearchIndex.PostgresCreateNames(Schema);
        foreach (var statement in statements)
        {
            migrationBuilder.Sql(statement);
        }
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        if (Schema is null)
        {
            foreach (var statement in MembersSearchIndex.SqliteDropNames.Concat(MembersSearchIndex.SqliteCreate("none")))
            {
                migrationBuilder.Sql(statement);
            }

            return;
        }

        foreach (var statement in MembersSearchIndex.PostgresDropNames(Schema))
        {
            migrationBuilder.Sql(statement);
        }

        migrationBuilder.CreateIndex(name: "IX_members_SearchName", schema: Schema, table: MembersTables.Members, column: "SearchName")
            .Annotation("Npgsql:IndexMethod", "gin")
            .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
    }
}
