using DangVu.Core.Abstractions.Storage;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DangVu.Modules.Members.Storage.Migrations;

/// <summary>
/// SQLite's name index keeps rowids only (FTS5 <c>detail='none'</c>) and is matched by LIKE: a name made of
/// common trigrams ("nguyen van an") no longer merges the positions of hundreds of thousands of entries.
/// The index is rebuilt from the members (about a second and a half for 500,000). PostgreSQL is unchanged.
/// </summary>
[DbContext(typeof(MembersDbContext))]
[Migration("20261201210000_NameSearchIndexRowids")]
internal sealed class NameSearchIndexRowids : ModuleMigration
{
    protected override void Up(MigrationBuilder migrationBuilder) => Recreate(migrationBuilder, "none");

    protected override void Down(MigrationBuilder migrationBuilder) => Recreate(migrationBuilder, "full");

    private void Recreate(MigrationBuilder migrationBuilder, string detail)
    {
        if (Schema is not null)
        {
            return;
        }

        foreach (var statement in MembersSearchIndex.SqliteDrop.Concat(MembersSearchIndex.SqliteCreate(detail)))
        {
            migrationBuilder.Sql(statement);
        }
    }
}
