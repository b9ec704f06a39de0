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
public sealed class IndexSortRunsTests
{
    private static readonly Guid[] Cells = [TestOrganisation.CellA, TestOrganisation.CellB, TestOrganisation.CellC];

    [Fact]
    public async Task A_bulk_insert_whose_index_builds_sort_in_runs_through_a_temporary_file_leaves_every_index_whole_on_SQLite()
    {
        await using var host = await MembersHost.StartAsync();
        var before = await host.Db(BulkImportTests.IndexesAsync);

        await host.Db(async db =>
        {
            await db.BulkInsertAsync(Members(41).Chunk(5_000).Select(c => (IReadOnlyList<ReplicatedRecord>)c).ToAsyncEnumerable(), null, CancellationToken.None, [typeof(Member)]);
            return 0;
        });

        (await host.Db(BulkImportTests.IndexesAsync)).Should().Equal(before);
        (await host.Db(db => db.Database.SqlQueryRaw<string>("PRAGMA integrity_check").ToListAsync())).Should().Equal(["ok"], "each index holds exactly the rows of the table");
        (await host.Db(db => db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM members INDEXED BY \"IX_members_Statistics\" WHERE \"OwnerOrgUnitId\" IS NOT NULL").SingleAsync()))
            .Should().Be(40_000);
    }

    [Fact]
    public async Task A_bulk_insert_whose_index_builds_can_write_no_temporary_file_sorts_them_in_memory_and_writes_every_row_on_SQLite()
    {
        await using var host = await MembersHost.StartAsync();
        var before = await host.Db(BulkImportTests.IndexesAsync);
        var members = Members(31);
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
        (await host.Db(BulkImportTests.IndexesAsync)).Should().Equal(before, "every index dropped for the insert is built again");
        (await host.Db(db => db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM members INDEXED BY \"IX_members_Statistics\" WHERE \"OwnerOrgUnitId\" IS NOT NULL").SingleAsync()))
            .Should().Be(40_000, "the statistics index holds every member");
    }

    // Enough members that the sort of the statistics index goes past one run of 2 MB, and so to a temporary file.
    private static List<ReplicatedRecord> Members(int seed) =>
        SyntheticMembers.Generate(40_000, seed, MembersHost.Today, Cells.Length)
            .Select(m => (ReplicatedRecord)SyntheticMembers.ToMember(m, Cells[m.CellIndex])).ToList();

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
