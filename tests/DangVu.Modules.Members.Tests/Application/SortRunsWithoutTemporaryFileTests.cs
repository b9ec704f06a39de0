using DangVu.Core.Abstractions.Storage;
using DangVu.Modules.Members.Domain;
using DangVu.Modules.Members.Storage;
using Microsoft.EntityFrameworkCore;

namespace DangVu.Modules.Members.Tests.Application;

/// <summary>
/// SQLite's temporary directory is one setting for the whole process: these tests run alone, so that no other test's
/// index builds meet the directory they take away.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqliteTemporaryDirectoryCollection
{
    public const string Name = "SQLite's temporary directory";
}

[Collection(SqliteTemporaryDirectoryCollection.Name)]
public sealed class SortRunsWithoutTemporaryFileTests
{
    private static readonly Guid[] Cells = [TestOrganisation.CellA, TestOrganisation.CellB, TestOrganisation.CellC];

    [Fact]
    public async Task A_bulk_insert_whose_index_builds_can_write_no_temporary_file_sorts_them_in_memory_and_writes_every_row_on_SQLite()
    {
        await using var host = await MembersHost.StartAsync();
        var before = await host.Db(db => db.Database
            .SqlQueryRaw<string>("SELECT name || ': ' || sql AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL ORDER BY name")
            .ToListAsync());
        // Enough members that the sort of the statistics index goes past one run of 2 MB, and so to a temporary file.
        var members = SyntheticMembers.Generate(40_000, seed: 31, MembersHost.Today, Cells.Length)
            .Select(m => (ReplicatedRecord)SyntheticMembers.ToMember(m, Cells[m.CellIndex])).ToList();
        // Even root cannot create a file in /proc: every temporary file SQLite opens fails, as with no writable directory.
        await SetTemporaryDirectoryAsync(host, "/proc");
        try
        {
            await host.Db(async db =>
            {
                await db.BulkInsertAsync(members.Chunk(5_000).Select(c => (IReadOnlyList<ReplicatedRecord>)c).ToAsyncEnumerable(), null, CancellationToken.None, [typeof(Member)]);
                return 0;
            });
        }
        finally
        {
            await SetTemporaryDirectoryAsync(host, "");
        }

        (await host.Db(db => db.Members.CountAsync())).Should().Be(40_000);
        (await host.Db(db => db.Database
            .SqlQueryRaw<string>("SELECT name || ': ' || sql AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members' AND sql IS NOT NULL ORDER BY name")
            .ToListAsync())).Should().Equal(before, "every index dropped for the insert is built again");
        (await host.Db(db => db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM members INDEXED BY \"IX_members_Statistics\" WHERE \"OwnerOrgUnitId\" IS NOT NULL").SingleAsync()))
            .Should().Be(40_000, "the statistics index holds every member");
    }

    private static Task<int> SetTemporaryDirectoryAsync(MembersHost host, string directory) => host.Db(async db =>
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        // A process-wide setting of SQLite (deprecated, still built in): the directory of its temporary files.
        command.CommandText = $"PRAGMA temp_store_directory = '{directory}'";
        await command.ExecuteNonQueryAsync();
        return 0;
    });
}
